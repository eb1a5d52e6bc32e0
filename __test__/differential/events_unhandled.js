// An 'error' event nobody listens to ends the process as in Node:
// the error, then where it was emitted.
const EventEmitter = require('events');
class Jobs extends EventEmitter {}
const jobs = new Jobs();
process.on('exit', (code) => console.log('exit', code));
function run() { jobs.emit('error', new TypeError('job failed')); }
setTimeout(run, 1);
