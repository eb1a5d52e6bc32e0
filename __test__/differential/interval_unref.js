let i = 0;
const iv = setInterval(() => { i++; }, 1);
iv.unref();
setTimeout(() => console.log('last', i > 0), 10);
