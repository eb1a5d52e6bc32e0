process.on('unhandledRejection', (r) => { console.log('ur', r); if (r === 1) Promise.reject(3); });
Promise.reject(1);
Promise.reject(2);
process.nextTick(() => console.log('tick'));
