const ph = require('perf_hooks');
console.log(Object.keys(ph));
console.log(ph.performance === performance, ph.constants, ph.PerformanceObserver.supportedEntryTypes);
const h = ph.createHistogram();
for (const v of [5, 10, 10, 20, 100]) h.record(v);
console.log(h.min, h.max, h.mean, h.count, h.exceeds, h.stddev.toFixed(6));
console.log(h.percentile(50), h.percentile(90), h.percentile(100), [...h.percentiles]);
const h2 = ph.createHistogram();
h2.record(1);
h.add(h2);
console.log(h.count, h.min);
h.reset();
console.log(h.count, h.min, h.max, h.mean, [...h.percentiles]);
for (const f of [() => h.record(0), () => h.record(1.5), () => h.record('x'), () => h.percentile(0), () => h.percentile('x'), () => ph.createHistogram(1)]) {
  try { f(); console.log('no error'); } catch (e) { console.log(e.name, e.code, e.message); }
}
const m = ph.monitorEventLoopDelay({ resolution: 20 });
console.log(m.enable(), m.enable(), m.disable(), m.disable(), m.count);
try { ph.monitorEventLoopDelay({ resolution: 0 }); } catch (e) { console.log(e.code, e.message); }
const obs = new ph.PerformanceObserver((list, observer) => {
  console.log(list.getEntries().map((e) => [e.name, e.entryType]), list.getEntriesByType('mark').length, list.getEntriesByName('m2').length, observer === obs);
  obs.disconnect();
});
obs.observe({ entryTypes: ['mark', 'measure'] });
performance.mark('m1');
performance.mark('m2');
performance.measure('between', 'm1', 'm2');
try { obs.observe(); } catch (e) { console.log(e.code, e.message); }
try { new ph.PerformanceResourceTiming(); } catch (e) { console.log(e.name, e.code, e.message); }
