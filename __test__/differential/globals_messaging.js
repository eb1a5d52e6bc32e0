// Node 20's messaging globals: MessageChannel, MessagePort, BroadcastChannel.
for (const k of ['MessageChannel', 'MessagePort', 'BroadcastChannel']) {
  console.log(k, typeof globalThis[k], Object.keys(globalThis).includes(k), globalThis[k] === require('worker_threads')[k]);
}
const { port1, port2 } = new MessageChannel();
port2.on('message', (m) => { console.log('got', m); port1.close(); });
port1.postMessage({ hello: 'world' });
