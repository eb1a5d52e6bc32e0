process.emitWarning('simple warning');
process.emitWarning('with code', 'CustomWarning', 'CODE1');
process.emitWarning(new Error('error object'));
process.emitWarning('dep', { type: 'DeprecationWarning', code: 'DEP0', detail: 'some detail' });
process.on('warning', (w) => console.log('listener', w.name, w.message));
console.log('sync');
