// A V8 task started by a beforeExit listener (a WebAssembly compile) does not keep the process alive, as in Node; one started before does.
const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
let n = 0;
process.on('beforeExit', () => {
  console.log('beforeExit', n);
  if (n++ === 0) WebAssembly.compile(bytes).then(() => console.log('compiled'));
});
WebAssembly.compile(bytes).then(() => console.log('first compile'));
