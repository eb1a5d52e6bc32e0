throw 'abc';
