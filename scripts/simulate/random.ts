import { randomBinomial, randomLcg, randomPoisson, randomUniform } from 'd3-random';

/**
 * Seeded random draws for the simulator: d3-random's distributions on its linear congruential
 * source, so that one seed always gives the same runs (d3-random is pinned in package.json).
 */
export interface Random {
  /** A Poisson count with mean `mean` (0 when the mean is 0). */
  poisson(mean: number): number;
  /** How many of `n` trials succeed with probability `p`. */
  binomial(n: number, p: number): number;
  /** A number in [min, max). */
  uniform(min: number, max: number): number;
}

export function seededRandom(seed: number): Random {
  const source = randomLcg(seed);
  const poisson = randomPoisson.source(source);
  const binomial = randomBinomial.source(source);
  const uniform = randomUniform.source(source);
  return {
    poisson: (mean) => (mean > 0 ? poisson(mean)() : 0),
    binomial: (n, p) => (n <= 0 || p <= 0 ? 0 : p >= 1 ? n : binomial(n, p)()),
    uniform: (min, max) => uniform(min, max)(),
  };
}
