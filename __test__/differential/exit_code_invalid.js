for (const v of ['abc', 1.5, {}, '2']) { try { process.exitCode = v; console.log('ok', v); } catch (e) { console.log(e.code, e.message); } }
process.exitCode = undefined;
