;; The matrix product of the ready-made networks' passes (dense-kernels.ts), in WebAssembly SIMD.
;; Compiled into dense-gemm-module.ts by scripts/build-dense-gemm.mjs (wabt); edit this file, then
;; run that script.
;;
;; gemm: C[r][j] (+)= sum over q of A(r, q) * B[q][j], for r < rows, j < cols, q < inner, in float32.
;; C and B are row-major with `cols` values per row; A(r, q) is the float at a + r*aRow + q*aInner
;; (byte strides), so one function multiplies by A and by A transposed. Every value of C is summed
;; in the order q = 0, 1, ... (from 0, or from C's value with `add`) by one multiply and one add
;; per term, whatever block computes it: the result does not depend on the blocking.
;; The blocks: 4 rows x 8 columns (eight 4-lane accumulators, one splat of A per row and step),
;; then 1 row x 4 columns, then single values.
(module
  (memory (export "memory") 1)

  ;; One value: c (+)= sum over q of a[q*aInner] * b[q*bStride].
  (func $dot (param $c i32) (param $a i32) (param $b i32) (param $inner i32)
    (param $aInner i32) (param $bStride i32) (param $add i32)
    (local $sum f32)
    (if (local.get $add) (then (local.set $sum (f32.load (local.get $c)))))
    (block $done
      (loop $step
        (br_if $done (i32.eqz (local.get $inner)))
        (local.set $sum
          (f32.add (local.get $sum) (f32.mul (f32.load (local.get $a)) (f32.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (local.get $aInner)))
        (local.set $b (i32.add (local.get $b) (local.get $bStride)))
        (local.set $inner (i32.sub (local.get $inner) (i32.const 1)))
        (br $step)))
    (f32.store (local.get $c) (local.get $sum)))

  ;; Four values of one row: c[0..4) (+)= sum over q of a[q*aInner] * b[q*bStride + 0..4).
  (func $row4 (param $c i32) (param $a i32) (param $b i32) (param $inner i32)
    (param $aInner i32) (param $bStride i32) (param $add i32)
    (local $sum v128)
    (if (local.get $add) (then (local.set $sum (v128.load (local.get $c)))))
    (block $done
      (loop $step
        (br_if $done (i32.eqz (local.get $inner)))
        (local.set $sum
          (f32x4.add (local.get $sum)
            (f32x4.mul (v128.load32_splat (local.get $a)) (v128.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (local.get $aInner)))
        (local.set $b (i32.add (local.get $b) (local.get $bStride)))
        (local.set $inner (i32.sub (local.get $inner) (i32.const 1)))
        (br $step)))
    (v128.store (local.get $c) (local.get $sum)))

  ;; Columns from..cols of one row (c, a, b at column 0 of the row): fours, then single values.
  (func $rowTail (param $c i32) (param $a i32) (param $b i32) (param $from i32) (param $cols i32)
    (param $inner i32) (param $aInner i32) (param $bStride i32) (param $add i32)
    (local $at i32)
    (block $fours
      (loop $four
        (br_if $fours (i32.gt_u (i32.add (local.get $from) (i32.const 4)) (local.get $cols)))
        (local.set $at (i32.shl (local.get $from) (i32.const 2)))
        (call $row4
          (i32.add (local.get $c) (local.get $at)) (local.get $a) (i32.add (local.get $b) (local.get $at))
          (local.get $inner) (local.get $aInner) (local.get $bStride) (local.get $add))
        (local.set $from (i32.add (local.get $from) (i32.const 4)))
        (br $four)))
    (block $ones
      (loop $one
        (br_if $ones (i32.ge_u (local.get $from) (local.get $cols)))
        (local.set $at (i32.shl (local.get $from) (i32.const 2)))
        (call $dot
          (i32.add (local.get $c) (local.get $at)) (local.get $a) (i32.add (local.get $b) (local.get $at))
          (local.get $inner) (local.get $aInner) (local.get $bStride) (local.get $add))
        (local.set $from (i32.add (local.get $from) (i32.const 1)))
        (br $one))))

  ;; A block of 4 rows x 8 columns (c, a, b at its first row and column; cRow: bytes per row of C and B).
  (func $block48 (param $c i32) (param $a i32) (param $b i32) (param $inner i32)
    (param $aRow i32) (param $aInner i32) (param $cRow i32) (param $add i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local.set $r1 (i32.add (local.get $c) (local.get $cRow)))
    (local.set $r2 (i32.add (local.get $r1) (local.get $cRow)))
    (local.set $r3 (i32.add (local.get $r2) (local.get $cRow)))
    (if (local.get $add)
      (then
        (local.set $c00 (v128.load (local.get $c)))
        (local.set $c01 (v128.load offset=16 (local.get $c)))
        (local.set $c10 (v128.load (local.get $r1)))
        (local.set $c11 (v128.load offset=16 (local.get $r1)))
        (local.set $c20 (v128.load (local.get $r2)))
        (local.set $c21 (v128.load offset=16 (local.get $r2)))
        (local.set $c30 (v128.load (local.get $r3)))
        (local.set $c31 (v128.load offset=16 (local.get $r3)))))
    (local.set $a1 (i32.add (local.get $a) (local.get $aRow)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $aRow)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $aRow)))
    (block $done
      (loop $step
        (br_if $done (i32.eqz (local.get $inner)))
        (local.set $b0 (v128.load (local.get $b)))
        (local.set $b1 (v128.load offset=16 (local.get $b)))
        (local.set $x (v128.load32_splat (local.get $a)))
        (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
        (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
        (local.set $x (v128.load32_splat (local.get $a1)))
        (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
        (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
        (local.set $x (v128.load32_splat (local.get $a2)))
        (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
        (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
        (local.set $x (v128.load32_splat (local.get $a3)))
        (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
        (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
        (local.set $a (i32.add (local.get $a) (local.get $aInner)))
        (local.set $a1 (i32.add (local.get $a1) (local.get $aInner)))
        (local.set $a2 (i32.add (local.get $a2) (local.get $aInner)))
        (local.set $a3 (i32.add (local.get $a3) (local.get $aInner)))
        (local.set $b (i32.add (local.get $b) (local.get $cRow)))
        (local.set $inner (i32.sub (local.get $inner) (i32.const 1)))
        (br $step)))
    (v128.store (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
    (v128.store (local.get $r1) (local.get $c10))
    (v128.store offset=16 (local.get $r1) (local.get $c11))
    (v128.store (local.get $r2) (local.get $c20))
    (v128.store offset=16 (local.get $r2) (local.get $c21))
    (v128.store (local.get $r3) (local.get $c30))
    (v128.store offset=16 (local.get $r3) (local.get $c31)))

  (func (export "gemm") (param $c i32) (param $a i32) (param $b i32) (param $rows i32)
    (param $cols i32) (param $inner i32) (param $aRow i32) (param $aInner i32) (param $add i32)
    (local $cRow i32) (local $r i32) (local $j i32) (local $i i32)
    (local $cAt i32) (local $aAt i32)
    (local.set $cRow (i32.shl (local.get $cols) (i32.const 2)))
    ;; Rows in fours: blocks of 8 columns, then the columns left row by row.
    (block $quads
      (loop $quad
        (br_if $quads (i32.gt_u (i32.add (local.get $r) (i32.const 4)) (local.get $rows)))
        (local.set $cAt (i32.add (local.get $c) (i32.mul (local.get $r) (local.get $cRow))))
        (local.set $aAt (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $aRow))))
        (local.set $j (i32.const 0))
        (block $blocks
          (loop $block
            (br_if $blocks (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $cols)))
            (call $block48
              (i32.add (local.get $cAt) (i32.shl (local.get $j) (i32.const 2))) (local.get $aAt)
              (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
              (local.get $inner) (local.get $aRow) (local.get $aInner) (local.get $cRow) (local.get $add))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $block)))
        (local.set $i (i32.const 0))
        (block $tails
          (loop $tail
            (br_if $tails (i32.eq (local.get $i) (i32.const 4)))
            (call $rowTail
              (i32.add (local.get $cAt) (i32.mul (local.get $i) (local.get $cRow)))
              (i32.add (local.get $aAt) (i32.mul (local.get $i) (local.get $aRow)))
              (local.get $b) (local.get $j) (local.get $cols) (local.get $inner) (local.get $aInner)
              (local.get $cRow) (local.get $add))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $tail)))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $quad)))
    ;; The rows left, whole.
    (block $rest
      (loop $row
        (br_if $rest (i32.ge_u (local.get $r) (local.get $rows)))
        (call $rowTail
          (i32.add (local.get $c) (i32.mul (local.get $r) (local.get $cRow)))
          (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $aRow)))
          (local.get $b) (i32.const 0) (local.get $cols) (local.get $inner) (local.get $aInner)
          (local.get $cRow) (local.get $add))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; Rows of the bias: each of `rows` rows of `cols` values at c (bytes) becomes the `cols` values at bias.
  (func (export "fillRows") (param $c i32) (param $bias i32) (param $rows i32) (param $cols i32)
    (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $cols) (i32.const 2)))
    (block $done
      (loop $row
        (br_if $done (i32.eqz (local.get $rows)))
        (memory.copy (local.get $c) (local.get $bias) (local.get $bytes))
        (local.set $c (i32.add (local.get $c) (local.get $bytes)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row))))

  ;; ReLU in place on `count` values at x (bytes): fours, then single values.
  (func (export "relu") (param $x i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $count) (i32.const 2))))
    (block $fours
      (loop $four
        (br_if $fours (i32.gt_u (i32.add (local.get $x) (i32.const 16)) (local.get $end)))
        (v128.store (local.get $x) (f32x4.max (v128.load (local.get $x)) (v128.const f32x4 0 0 0 0)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $four)))
    (block $ones
      (loop $one
        (br_if $ones (i32.ge_u (local.get $x) (local.get $end)))
        (f32.store (local.get $x) (f32.max (f32.load (local.get $x)) (f32.const 0)))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (br $one))))

  ;; ReLU's derivative: each of `count` deltas at d (bytes) is zeroed where the output at a is not positive.
  (func (export "reluBack") (param $d i32) (param $a i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $d) (i32.shl (local.get $count) (i32.const 2))))
    (block $fours
      (loop $four
        (br_if $fours (i32.gt_u (i32.add (local.get $d) (i32.const 16)) (local.get $end)))
        (v128.store (local.get $d)
          (v128.and (v128.load (local.get $d))
            (f32x4.gt (v128.load (local.get $a)) (v128.const f32x4 0 0 0 0))))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (br $four)))
    (block $ones
      (loop $one
        (br_if $ones (i32.ge_u (local.get $d) (local.get $end)))
        (if (i32.eqz (f32.gt (f32.load (local.get $a)) (f32.const 0)))
          (then (f32.store (local.get $d) (f32.const 0))))
        (local.set $d (i32.add (local.get $d) (i32.const 4)))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (br $one))))

  ;; The `rows` x `cols` matrix at a (bytes, row-major) transposed into c.
  (func (export "transpose") (param $c i32) (param $a i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $j i32) (local $from i32) (local $to i32) (local $cRow i32)
    (local.set $cRow (i32.shl (local.get $rows) (i32.const 2)))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $to (i32.add (local.get $c) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $j (i32.const 0))
        (block $colsDone
          (loop $col
            (br_if $colsDone (i32.ge_u (local.get $j) (local.get $cols)))
            (f32.store (local.get $to) (f32.load (local.get $a)))
            (local.set $a (i32.add (local.get $a) (i32.const 4)))
            (local.set $to (i32.add (local.get $to) (local.get $cRow)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $col)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; One optimizer step on `count` weights (a multiple of 4) at w, with Adam's moments at m and v:
  ;; the gradient is the sum of `chunks` slots `stride` bytes apart at g, in slot order, plus
  ;; decay * w where the flag at flags is 1 (the kernels' L2 penalty). With `adam` 0: plain SGD
  ;; (w -= rate * gradient). Returns the sum of w * w over the flagged weights, before the step.
  (func (export "update") (param $w i32) (param $m i32) (param $v i32) (param $g i32)
    (param $chunks i32) (param $stride i32) (param $flags i32) (param $count i32)
    (param $decay f32) (param $rate f32) (param $adam i32) (result f32)
    (local $end i32) (local $c i32) (local $at i32) (local $grad v128) (local $weight v128)
    (local $first v128) (local $second v128) (local $squares v128)
    (local.set $end (i32.add (local.get $w) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $w) (local.get $end)))
        (local.set $grad (v128.load (local.get $g)))
        (local.set $at (local.get $g))
        (local.set $c (i32.const 1))
        (block $summed
          (loop $chunk
            (br_if $summed (i32.ge_u (local.get $c) (local.get $chunks)))
            (local.set $at (i32.add (local.get $at) (local.get $stride)))
            (local.set $grad (f32x4.add (local.get $grad) (v128.load (local.get $at))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $chunk)))
        (local.set $weight (v128.load (local.get $w)))
        (local.set $squares
          (f32x4.add (local.get $squares)
            (f32x4.mul (v128.load (local.get $flags)) (f32x4.mul (local.get $weight) (local.get $weight)))))
        (local.set $grad
          (f32x4.add (local.get $grad)
            (f32x4.mul (v128.load (local.get $flags)) (f32x4.mul (f32x4.splat (local.get $decay)) (local.get $weight)))))
        (if (local.get $adam)
          (then
            (local.set $first
              (f32x4.add (f32x4.mul (v128.const f32x4 0.9 0.9 0.9 0.9) (v128.load (local.get $m)))
                (f32x4.mul (v128.const f32x4 0.1 0.1 0.1 0.1) (local.get $grad))))
            (local.set $second
              (f32x4.add (f32x4.mul (v128.const f32x4 0.999 0.999 0.999 0.999) (v128.load (local.get $v)))
                (f32x4.mul (v128.const f32x4 0.001 0.001 0.001 0.001)
                  (f32x4.mul (local.get $grad) (local.get $grad)))))
            (v128.store (local.get $m) (local.get $first))
            (v128.store (local.get $v) (local.get $second))
            (local.set $grad
              (f32x4.div (local.get $first)
                (f32x4.add (f32x4.sqrt (local.get $second)) (v128.const f32x4 1e-8 1e-8 1e-8 1e-8))))))
        (v128.store (local.get $w)
          (f32x4.sub (local.get $weight) (f32x4.mul (f32x4.splat (local.get $rate)) (local.get $grad))))
        (local.set $w (i32.add (local.get $w) (i32.const 16)))
        (local.set $m (i32.add (local.get $m) (i32.const 16)))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $flags (i32.add (local.get $flags) (i32.const 16)))
        (br $four)))
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $squares)) (f32x4.extract_lane 1 (local.get $squares)))
      (f32.add (f32x4.extract_lane 2 (local.get $squares)) (f32x4.extract_lane 3 (local.get $squares)))))
)
