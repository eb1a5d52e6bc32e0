const ac = new AbortController();
console.log(ac, ac.signal, ac.signal.aborted, ac.signal.reason);
ac.signal.addEventListener('abort', (e) => console.log('listener', e.type, e.isTrusted, e.target === ac.signal));
ac.signal.onabort = (e) => console.log('onabort', e.type);
ac.abort();
ac.abort('second ignored');
console.log(ac.signal.aborted, ac.signal.reason.name, ac.signal.reason.message, ac.signal.reason.code, ac.signal.reason instanceof DOMException);
try { ac.signal.throwIfAborted(); } catch (e) { console.log('thrown', e.name); }
const s2 = AbortSignal.abort('why'); console.log(s2.aborted, s2.reason);
try { new AbortSignal(); } catch (e) { console.log(e.name, e.code, e.message); }
const t = AbortSignal.timeout(5);
t.addEventListener('abort', () => console.log('timeout fired', t.reason.name, t.reason.message, t.reason.code));
const keep = setTimeout(() => console.log('keepalive done'), 30);
const a1 = new AbortController(), a2 = new AbortController();
const any = AbortSignal.any([a1.signal, a2.signal]);
any.onabort = () => console.log('any aborted', any.reason);
a2.abort('r2');
console.log(AbortSignal.any([AbortSignal.abort('pre')]).reason);
const et = new EventTarget();
const obj = { handleEvent(e) { console.log('handleEvent', e.type, this === obj); } };
et.addEventListener('foo', obj);
et.addEventListener('foo', () => console.log('once'), { once: true });
const c = new AbortController();
et.addEventListener('foo', () => console.log('signal listener'), { signal: c.signal });
console.log(et.dispatchEvent(new Event('foo')));
c.abort();
et.dispatchEvent(new Event('foo'));
const ev = new Event('bar', { cancelable: true });
et.addEventListener('bar', (e) => e.preventDefault());
console.log(et.dispatchEvent(ev), ev.defaultPrevented, ev.eventPhase, ev.cancelable, ev.bubbles);
try { new Event(); } catch (e) { console.log(e.code, e.message); }
try { et.dispatchEvent({}); } catch (e) { console.log(e.code, e.message); }
const ce = new CustomEvent('c', { detail: { x: 1 } }); console.log(ce.detail, ce instanceof Event);
console.log(new DOMException('m', 'NotFoundError').code, new DOMException('m').name, DOMException.ABORT_ERR, new DOMException('x', { name: 'DataCloneError', cause: 1 }).cause);
