;; The edge-list parser's fast path (pairs-kernel.ts): lines `id SEP id` (then LF or CRLF, or a
;; third column that is ignored) with canonical integer ids of at most 9 digits, parsed from
;; bytes[pos .. end) (bytes[end - 1] is a line feed) until the first other line, or until
;; `limit` pairs. Writes the sources from `sources` and the targets from `targets` (int32s),
;; the number of pairs at address 0 and the largest id (from `maxKey` on) at address 4; returns
;; where the first line not parsed starts. An id longer than 9 digits, or with a leading zero,
;; stops it (two tests, written out at each id: V8 does not inline WebAssembly calls here).
;; Compiled into parse-pairs-module.ts by scripts/build-wasm.mjs.
(module
  ;; 4 MiB: a piece of 1 MiB and its pairs (pairs-kernel.ts; it never grows).
  (memory (export "memory") 64 64)
  (func (export "pairs")
    (param $pos i32) (param $end i32) (param $sep i32) (param $third i32)
    (param $sources i32) (param $targets i32) (param $limit i32) (param $maxKey i32) (result i32)
    (local $count i32) (local $lineStart i32) (local $c i32) (local $d i32) (local $first i32)
    (local $source i32) (local $target i32) (local $probe i32)
    (local.set $lineStart (local.get $pos))
    (block $stop
      (loop $lines
        (br_if $stop (i32.ge_u (local.get $pos) (local.get $end)))
        (br_if $stop (i32.ge_u (local.get $count) (local.get $limit)))
        (local.set $lineStart (local.get $pos))
        ;; The source id.
        (local.set $source (i32.sub (i32.load8_u (local.get $pos)) (i32.const 48)))
        (br_if $stop (i32.gt_u (local.get $source) (i32.const 9)))
        (local.set $first (local.get $pos))
        (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
        (local.set $c (i32.load8_u (local.get $pos)))
        (block $sourceDone
          (loop $sourceDigits
            (local.set $d (i32.sub (local.get $c) (i32.const 48)))
            (br_if $sourceDone (i32.gt_u (local.get $d) (i32.const 9)))
            (local.set $source (i32.add (i32.mul (local.get $source) (i32.const 10)) (local.get $d)))
            (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
            (local.set $c (i32.load8_u (local.get $pos)))
            (br $sourceDigits)))
        (br_if $stop (i32.ne (local.get $c) (local.get $sep)))
        (br_if $stop (i32.gt_s (i32.sub (local.get $pos) (local.get $first)) (i32.const 9)))
        (br_if $stop
          (i32.and
            (i32.gt_s (i32.sub (local.get $pos) (local.get $first)) (i32.const 1))
            (i32.eq (i32.load8_u (local.get $first)) (i32.const 48))))
        ;; The target id.
        (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
        (local.set $first (local.get $pos))
        (local.set $target (i32.sub (i32.load8_u (local.get $pos)) (i32.const 48)))
        (br_if $stop (i32.gt_u (local.get $target) (i32.const 9)))
        (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
        (local.set $c (i32.load8_u (local.get $pos)))
        (block $targetDone
          (loop $targetDigits
            (local.set $d (i32.sub (local.get $c) (i32.const 48)))
            (br_if $targetDone (i32.gt_u (local.get $d) (i32.const 9)))
            (local.set $target (i32.add (i32.mul (local.get $target) (i32.const 10)) (local.get $d)))
            (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
            (local.set $c (i32.load8_u (local.get $pos)))
            (br $targetDigits)))
        (br_if $stop (i32.gt_s (i32.sub (local.get $pos) (local.get $first)) (i32.const 9)))
        (br_if $stop
          (i32.and
            (i32.gt_s (i32.sub (local.get $pos) (local.get $first)) (i32.const 1))
            (i32.eq (i32.load8_u (local.get $first)) (i32.const 48))))
        ;; An ignored third column (a fourth is an error, which the general path reports), or CR.
        (if (i32.and (i32.eq (local.get $c) (local.get $sep)) (i32.ne (local.get $third) (i32.const 0)))
          (then
            (local.set $probe (i32.add (local.get $pos) (i32.const 1)))
            (block $probeDone
              (loop $probing
                (local.set $d (i32.load8_u (local.get $probe)))
                (br_if $probeDone (i32.eq (local.get $d) (i32.const 10)))
                (br_if $probeDone (i32.eq (local.get $d) (local.get $sep)))
                (local.set $probe (i32.add (local.get $probe) (i32.const 1)))
                (br $probing)))
            (br_if $stop (i32.ne (local.get $d) (i32.const 10)))
            (local.set $pos (local.get $probe))
            (local.set $c (i32.const 10)))
          (else
            (if (i32.eq (local.get $c) (i32.const 13))
              (then
                (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
                (local.set $c (i32.load8_u (local.get $pos)))))))
        (br_if $stop (i32.ne (local.get $c) (i32.const 10)))
        (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
        (i32.store (i32.add (local.get $sources) (i32.shl (local.get $count) (i32.const 2))) (local.get $source))
        (i32.store (i32.add (local.get $targets) (i32.shl (local.get $count) (i32.const 2))) (local.get $target))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        (if (i32.gt_s (local.get $source) (local.get $maxKey)) (then (local.set $maxKey (local.get $source))))
        (if (i32.gt_s (local.get $target) (local.get $maxKey)) (then (local.set $maxKey (local.get $target))))
        (local.set $lineStart (local.get $pos))
        (br $lines)))
    (i32.store (i32.const 0) (local.get $count))
    (i32.store (i32.const 4) (local.get $maxKey))
    (local.get $lineStart))
)
