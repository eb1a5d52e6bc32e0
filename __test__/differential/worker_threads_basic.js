const wt = require('worker_threads');
console.log(Object.keys(wt));
console.log(wt.isMainThread, wt.parentPort, wt.workerData, wt.threadId, wt.resourceLimits, wt.SHARE_ENV);
const { port1, port2 } = new wt.MessageChannel();
console.log(port1 instanceof wt.MessagePort, typeof port1.postMessage);
port1.postMessage({ hello: 'world', list: [1, 2] });
console.log(wt.receiveMessageOnPort(port2), wt.receiveMessageOnPort(port2));
const received = [];
port2.on('message', (msg) => {
  received.push(msg);
  if (msg === 'last') {
    console.log(JSON.stringify(received));
    port2.close();
  }
});
const obj = { n: 1 };
port1.postMessage(obj);
obj.n = 2;
port1.postMessage('second');
port1.postMessage('last');
port2.on('close', () => console.log('closed'));
try { port1.postMessage(() => 1); } catch (e) { console.log(e.name, e.message); }
try { new wt.MessagePort(); } catch (e) { console.log(e.name, e.code); }
try { wt.receiveMessageOnPort({}); } catch (e) { console.log(e.name, e.code); }
wt.setEnvironmentData('key', 'value');
console.log(wt.getEnvironmentData('key'), wt.getEnvironmentData('missing'));
const bc1 = new wt.BroadcastChannel('news');
const bc2 = new wt.BroadcastChannel('news');
bc2.onmessage = (e) => {
  console.log('broadcast', e.data);
  bc1.close();
  bc2.close();
};
bc1.postMessage({ headline: 'hi' });
console.log(bc1.name);
