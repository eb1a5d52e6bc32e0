console.log(structuredClone({ a: [1, { b: new Date(0) }], m: new Map([[1, 2]]) }));
try { structuredClone(() => {}); } catch (e) { console.log(e.name, e.message, e.code, e instanceof DOMException); }
try { structuredClone(); } catch (e) { console.log(e.code, e.message); }
console.log(typeof performance.now(), performance.now() >= 0, typeof performance.timeOrigin, Math.abs(performance.timeOrigin + performance.now() - Date.now()) < 50);
const u8 = crypto.getRandomValues(new Uint8Array(8)); console.log(u8.length, u8 instanceof Uint8Array);
try { crypto.getRandomValues(new Uint8Array(65537)); } catch (e) { console.log(e.name, e.message, e.code); }
try { crypto.getRandomValues(new Float32Array(1)); } catch (e) { console.log(e.name, e.message, e.code); }
try { crypto.getRandomValues(new DataView(new ArrayBuffer(1))); } catch (e) { console.log(e.name, e.message); }
console.log(crypto.getRandomValues(new Uint8Array(65536)).length);
const uuid = crypto.randomUUID(); console.log(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(uuid), crypto.randomUUID() !== uuid);
console.log(Object.keys(globalThis).filter((k) => k !== 'fetch'));
console.log(typeof URL, typeof TextEncoder, typeof AbortController, typeof EventTarget, typeof DOMException, typeof queueMicrotask);
globalThis.setTimeout = 5; console.log(setTimeout);
