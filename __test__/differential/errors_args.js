const vals = [undefined, null, 1, 1.5, NaN, 'a string that is quite long indeed yes', 's', true, 10n, Symbol('q'), {}, [], new Map(), function named() {}, () => {}, Object.create(null), new (class Klass {})()];
for (const v of vals) {
  try { setTimeout(v); } catch (e) { console.log(e.message); }
}
try { new TextEncoder().encodeInto('x', []); } catch (e) { console.log(e.code, e.message); }
try { process.emitWarning(5); } catch (e) { console.log(e.code, e.message); }
try { new AbortController().signal.addEventListener('abort', 5); } catch (e) { console.log(e.code, e.message); }
try { AbortSignal.any([1]); } catch (e) { console.log(e.code, e.message); }
try { AbortSignal.timeout(-1); } catch (e) { console.log(e.code, e.message); }
try { AbortSignal.timeout('x'); } catch (e) { console.log(e.code, e.message); }
try { new URLSearchParams().forEach(1); } catch (e) { console.log(e.code, e.message); }
const e = (() => { try { setTimeout(1); } catch (err) { return err; } })();
console.log(e.name, Object.keys(e), String(e), e instanceof TypeError, e.stack.split('\n')[0]);
