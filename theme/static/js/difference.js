// Could a difference between providers be chance? The rules of
// generator/model/differences.py, for the comparison the visitor chooses in the
// browser: two shares by the Newcombe hybrid-score interval of their
// difference; three or more by a chi-square test that they are alike, then the
// highest against the lowest by a score test, Holm-adjusted over every pair.
// Compared-with-expected figures ("points") by normal tests on the standard
// errors their published intervals give. A browser test checks this file
// against the Python on many random cases.
(function () {
  "use strict";
  const Z95 = 1.959963984540054;
  const ALPHA = 0.05;

  function wilson(x, n) {
    const p = x / n;
    const z2 = Z95 * Z95;
    const denom = 1 + z2 / n;
    const centre = (p + z2 / (2 * n)) / denom;
    const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
    const low = x === 0 ? 0 : Math.min(1, Math.max(0, centre - half));
    const high = x === n ? 1 : Math.min(1, Math.max(0, centre + half));
    return [low, high];
  }

  // Complementary error function (Numerical Recipes' erfcc: relative error
  // below 1.2e-7 everywhere), for the normal tail.
  function erfc(x) {
    const z = Math.abs(x);
    const t = 1 / (1 + 0.5 * z);
    const r =
      t *
      Math.exp(
        -z * z - 1.26551223 +
          t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
          t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 +
          t * 0.17087277)))))))),
      );
    return x >= 0 ? r : 2 - r;
  }

  function twoSidedNormal(z) {
    return erfc(Math.abs(z) / Math.SQRT2);
  }

  function logGamma(x) {
    const c = [76.18009172947146, -86.50532032941677, 24.01409824083091,
      -1.231739572450155, 0.1208650973866179e-2, -0.5395239384953e-5];
    let y = x;
    const tmp = x + 5.5 - (x + 0.5) * Math.log(x + 5.5);
    let ser = 1.000000000190015;
    for (const coef of c) ser += coef / ++y;
    return -tmp + Math.log((2.5066282746310005 * ser) / x);
  }

  // The regularised upper incomplete gamma function Q(a, x): series below
  // a + 1, continued fraction above (Numerical Recipes' gammq).
  function gammaQ(a, x) {
    if (x <= 0) return 1;
    const gln = logGamma(a);
    if (x < a + 1) {
      let ap = a;
      let sum = 1 / a;
      let del = sum;
      for (let i = 0; i < 500; i++) {
        del *= x / ++ap;
        sum += del;
        if (Math.abs(del) < Math.abs(sum) * 1e-15) break;
      }
      return 1 - sum * Math.exp(-x + a * Math.log(x) - gln);
    }
    let b = x + 1 - a;
    let c = 1e300;
    let d = 1 / b;
    let h = d;
    for (let i = 1; i < 500; i++) {
      const an = -i * (i - a);
      b += 2;
      d = an * d + b;
      if (Math.abs(d) < 1e-300) d = 1e-300;
      c = b + an / c;
      if (Math.abs(c) < 1e-300) c = 1e-300;
      d = 1 / d;
      const del = d * c;
      h *= del;
      if (Math.abs(del - 1) < 1e-15) break;
    }
    return Math.exp(-x + a * Math.log(x) - gln) * h;
  }

  function chiSquareTail(statistic, df) {
    return gammaQ(df / 2, statistic / 2);
  }

  function holm(pValues) {
    const order = pValues.map((p, i) => [p, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const adjusted = new Array(pValues.length);
    let running = 0;
    order.forEach(([p, i], rank) => {
      running = Math.max(running, Math.min(1, (pValues.length - rank) * p));
      adjusted[i] = running;
    });
    return adjusted;
  }

  function pairs(count) {
    const out = [];
    for (let i = 0; i < count; i++) for (let j = i + 1; j < count; j++) out.push([i, j]);
    return out;
  }

  function extremes(values) {
    let hi = 0;
    let lo = 0;
    values.forEach((v, i) => {
      if (v > values[hi]) hi = i;
      if (v < values[lo]) lo = i;
    });
    return [Math.min(hi, lo), Math.max(hi, lo)];
  }

  function stepwise(values, statistic, pairP) {
    if (chiSquareTail(statistic, values.length - 1) >= ALPHA) return "chance";
    const all = pairs(values.length);
    const adjusted = holm(all.map(([i, j]) => pairP(i, j)));
    const [a, b] = extremes(values);
    const at = all.findIndex(([i, j]) => i === a && j === b);
    return at >= 0 && adjusted[at] < ALPHA ? "real" : "chance";
  }

  function shares(list) {
    const s = list.filter((f) => f.n > 0);
    if (s.length < 2) return "few";
    const value = s.map((f) => f.x / f.n);
    if (s.length === 2) {
      const [l1, u1] = wilson(s[0].x, s[0].n);
      const [l2, u2] = wilson(s[1].x, s[1].n);
      const d = value[0] - value[1];
      const low = d - Math.sqrt((value[0] - l1) ** 2 + (u2 - value[1]) ** 2);
      const high = d + Math.sqrt((u1 - value[0]) ** 2 + (value[1] - l2) ** 2);
      return low > 0 || high < 0 ? "real" : "chance";
    }
    const successes = s.reduce((t, f) => t + f.x, 0);
    const trials = s.reduce((t, f) => t + f.n, 0);
    if (successes === 0 || successes === trials) return "chance";
    const pooled = successes / trials;
    const statistic = s.reduce(
      (t, f) => t + (f.x - f.n * pooled) ** 2 / (f.n * pooled * (1 - pooled)), 0);
    return stepwise(value, statistic, (i, j) => {
      const p = (s[i].x + s[j].x) / (s[i].n + s[j].n);
      const variance = p * (1 - p) * (1 / s[i].n + 1 / s[j].n);
      return variance <= 0 ? 1 : twoSidedNormal((value[i] - value[j]) / Math.sqrt(variance));
    });
  }

  function points(list) {
    const p = list
      .map((f) => ({ value: f.value, se: (f.high - f.low) / (2 * Z95) }))
      .filter((f) => f.se > 0);
    if (p.length < 2) return "few";
    const pairP = (i, j) =>
      twoSidedNormal((p[i].value - p[j].value) / Math.sqrt(p[i].se ** 2 + p[j].se ** 2));
    if (p.length === 2) return pairP(0, 1) < ALPHA ? "real" : "chance";
    const w = p.map((f) => 1 / f.se ** 2);
    const wSum = w.reduce((t, x) => t + x, 0);
    const mean = p.reduce((t, f, i) => t + w[i] * f.value, 0) / wSum;
    const statistic = p.reduce((t, f, i) => t + w[i] * (f.value - mean) ** 2, 0);
    return stepwise(p.map((f) => f.value), statistic, pairP);
  }

  // figures: the comparison JSON's objects for one row (reliable figures only;
  // a missing one is undefined or null).
  function verdict(figures) {
    const present = figures.filter(Boolean);
    if (present.some((f) => f.points)) return points(present);
    return shares(present);
  }

  window.differenceVerdict = verdict;
})();
