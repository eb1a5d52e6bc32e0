setTimeout(() => { new URL('bad url'); }, 1);
