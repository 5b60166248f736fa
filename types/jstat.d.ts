/** The part of jStat (https://github.com/jstat/jstat) this project uses; it ships no types. */
declare module 'jstat' {
  interface Distribution {
    cdf(x: number, ...parameters: number[]): number;
  }
  const jStat: {
    normal: Distribution & { inv(p: number, mean: number, std: number): number };
    binomial: Distribution;
  };
  export default jStat;
}
