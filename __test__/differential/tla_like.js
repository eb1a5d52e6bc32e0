async function main() {
  await new Promise((r) => setTimeout(r, 5));
  console.log('after await');
  await null;
  console.log('done');
}
main().then(() => console.log('resolved'));
console.log('sync');
