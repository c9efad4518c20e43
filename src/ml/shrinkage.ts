/** The soft-thresholding operator, the proximal map of `threshold * |x|` (lasso shrinkage). */
export function softThreshold(value: number, threshold: number): number {
  if (value > threshold) return value - threshold;
  if (value < -threshold) return value + threshold;
  return 0;
}
