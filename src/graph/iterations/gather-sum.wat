;; The typed path's unweighted sum combiner (wasm-sum.ts): for each vertex v of start .. end - 1
;; of an arena, sums[v] = the sum of messages[sources[e]] over its in-edges e, offsets[v] ..
;; offsets[v + 1] - 1, added left to right as the JavaScript loop adds them (the same bits).
;; All arguments are byte addresses in the imported (shared) memory, except start and end.
;; Compiled into gather-sum-module.ts by scripts/build-wasm.mjs.
(module
  (import "eddy" "memory" (memory 0 65536 shared))
  (func (export "sum")
    (param $offsets i32) (param $sources i32) (param $messages i32) (param $sums i32)
    (param $start i32) (param $end i32)
    (local $v i32) (local $e i32) (local $last i32) (local $at i32) (local $sum f64)
    (local.set $v (local.get $start))
    (local.set $e (i32.load (i32.add (local.get $offsets) (i32.shl (local.get $start) (i32.const 2)))))
    (block $done
      (loop $vertices
        (br_if $done (i32.ge_u (local.get $v) (local.get $end)))
        (local.set $last
          (i32.load offset=4 (i32.add (local.get $offsets) (i32.shl (local.get $v) (i32.const 2)))))
        (local.set $sum (f64.const 0))
        ;; Four in-edges a step, while four are left: fewer loop checks, the same additions.
        (block $fours
          (loop $four
            (br_if $fours (i32.ge_u (i32.add (local.get $e) (i32.const 3)) (local.get $last)))
            (local.set $at (i32.add (local.get $sources) (i32.shl (local.get $e) (i32.const 2))))
            (local.set $sum
              (f64.add
                (f64.add
                  (f64.add
                    (f64.add
                      (local.get $sum)
                      (f64.load (i32.add (local.get $messages)
                        (i32.shl (i32.load (local.get $at)) (i32.const 3)))))
                    (f64.load (i32.add (local.get $messages)
                      (i32.shl (i32.load offset=4 (local.get $at)) (i32.const 3)))))
                  (f64.load (i32.add (local.get $messages)
                    (i32.shl (i32.load offset=8 (local.get $at)) (i32.const 3)))))
                (f64.load (i32.add (local.get $messages)
                  (i32.shl (i32.load offset=12 (local.get $at)) (i32.const 3))))))
            (local.set $e (i32.add (local.get $e) (i32.const 4)))
            (br $four)))
        (block $ones
          (loop $one
            (br_if $ones (i32.ge_u (local.get $e) (local.get $last)))
            (local.set $sum
              (f64.add
                (local.get $sum)
                (f64.load (i32.add (local.get $messages)
                  (i32.shl
                    (i32.load (i32.add (local.get $sources) (i32.shl (local.get $e) (i32.const 2))))
                    (i32.const 3))))))
            (local.set $e (i32.add (local.get $e) (i32.const 1)))
            (br $one)))
        (f64.store (i32.add (local.get $sums) (i32.shl (local.get $v) (i32.const 3))) (local.get $sum))
        (local.set $v (i32.add (local.get $v) (i32.const 1)))
        (br $vertices)))))
