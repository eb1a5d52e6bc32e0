queueMicrotask(() => { throw new Error('from microtask'); });
