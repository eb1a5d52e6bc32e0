// util.inspect of module namespaces, as Node prints them.
import('node:path').then((ns) => {
  console.log(Object.keys(ns).length > 5, typeof ns.default.join);
  return import('data:text/javascript,export const a = 1; export let b = [1, { c: 2 }]; export default function f() {}');
}).then((ns) => {
  console.log(ns);
  console.log(require('util').inspect(ns, { depth: 0 }));
  console.log(require('util').types.isModuleNamespaceObject(ns), Object.prototype.toString.call(ns));
});
