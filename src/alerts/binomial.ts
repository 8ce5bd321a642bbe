// Binomial tails, for rules that must not alarm on noise: how likely a sender whose true rate is p
// shows `count` or more cases in `n` (complaints in deliveries, bounces in sends).

/** P(X >= k) for X ~ Binomial(n, p). Exact while the mean is small, else the normal approximation. */
export function binomialTail(n: number, p: number, k: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const mean = n * p;
  if (mean > 500 && n * (1 - p) > 500) {
    // Continuity-corrected normal: within 1e-3 of the exact tail at these means.
    const z = (k - 0.5 - mean) / Math.sqrt(mean * (1 - p));
    return 0.5 * erfc(z / Math.SQRT2);
  }
  // Sum the pmf below k from P(0) = (1-p)^n upward (no underflow while the mean is <= 500).
  let pmf = Math.exp(n * Math.log1p(-p));
  let below = 0;
  for (let i = 0; i < k; i++) {
    below += pmf;
    pmf *= ((n - i) / (i + 1)) * (p / (1 - p));
  }
  return Math.max(0, 1 - below);
}

/**
 * The fewest cases in `n` that a sender whose true rate is `p` reaches with probability at most
 * `alpha`: fewer than this is within that sender's noise.
 */
export function noiseCeiling(n: number, p: number, alpha: number): number {
  if (p <= 0) return 1;
  // Start near the mean and walk up: the tail falls monotonically in k.
  let k = Math.max(1, Math.floor(n * p));
  while (k <= n && binomialTail(n, p, k) > alpha) k++;
  return k;
}

// Abramowitz and Stegun 7.1.26, |error| < 1.5e-7.
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * z);
  const y = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-z * z);
  return x >= 0 ? y : 2 - y;
}
