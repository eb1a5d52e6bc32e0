console.log('before');
throw { a: 1, b: [1, 2] };
