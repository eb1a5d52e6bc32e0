const e = new Error('rej'); e.stack = 'Error: rej\n    at x (y.js:1:1)';
Promise.reject(e);
