(async () => {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  console.log(chunks.length, chunks[0] instanceof Uint8Array, new TextDecoder().decode(chunks[0]));
})();
