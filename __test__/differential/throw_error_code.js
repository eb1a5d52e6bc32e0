const e = new Error('with code'); e.code = 'ECODE'; throw e;
