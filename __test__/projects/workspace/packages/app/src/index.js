// An ES module workspace package that imports its CommonJS sibling (named
// exports detected from `exports.x =`) and a registry package.
import { newest, shout, where } from '@matrix/strings'
import { capitalize } from 'lodash-es'

export const report = (name, versions) => `${shout(capitalize(name))} newest: ${newest(versions)}`
export const paths = { strings: where, app: import.meta.url }
