// Deterministic pseudo-random values; compares formatting broadly.
let seed = 12345;
function rnd(n) { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; }
const words = ['a', 'key', 'longer_key_name', 'with space', 'x-y', '0', '12', 'ünï', "qu'ote", 'nl\nx'];
function gen(depth) {
  const k = rnd(depth > 3 ? 8 : 16);
  switch (k) {
    case 0: return rnd(1000) - 500;
    case 1: return words[rnd(words.length)].repeat(1 + rnd(3));
    case 2: return rnd(2) === 0;
    case 3: return null;
    case 4: return undefined;
    case 5: return rnd(100) / 7;
    case 6: return BigInt(rnd(100000));
    case 7: return 'x'.repeat(rnd(40));
    case 8: case 9: case 10: {
      const a = []; const n = rnd(depth === 0 ? 30 : 8);
      for (let i = 0; i < n; i++) a.push(gen(depth + 1));
      return a;
    }
    case 11: case 12: case 13: {
      const o = {}; const n = rnd(7);
      for (let i = 0; i < n; i++) o[words[rnd(words.length)] + (rnd(3) ? '' : i)] = gen(depth + 1);
      return o;
    }
    case 14: { const m = new Map(); const n = rnd(4); for (let i = 0; i < n; i++) m.set(gen(depth + 1), gen(depth + 1)); return m; }
    case 15: { const s = new Set(); const n = rnd(5); for (let i = 0; i < n; i++) s.add(gen(depth + 1)); return s; }
  }
}
for (let i = 0; i < 300; i++) console.log(gen(0));
for (let i = 0; i < 50; i++) console.log('%s|%o|%j', gen(1), gen(2), [gen(3)]);
