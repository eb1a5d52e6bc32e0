for (const f of [() => setTimeout(), () => setTimeout('str'), () => setInterval(null), () => setImmediate(42), () => queueMicrotask({}), () => process.nextTick(1n), () => setTimeout(function named() {}.name)]) {
  try { f(); } catch (e) { console.log(e.name, e.code, e.message); }
}
setTimeout(() => console.log('str delay'), '5');
setTimeout(() => console.log('neg'), -10);
setTimeout(() => console.log('huge'), 2 ** 31);
setTimeout(() => console.log('nan'), NaN);
const t = setTimeout(() => console.log('refreshed'), 5); t.refresh();
console.log(t.hasRef(), t.unref().hasRef(), t.ref().hasRef());
const im = setImmediate(() => {}); console.log(im.hasRef(), im.unref().hasRef());
