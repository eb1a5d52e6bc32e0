'use strict'
// A CommonJS workspace package with a registry dependency.
const semver = require('semver')

exports.shout = (s) => s.toUpperCase() + '!'
exports.newest = (versions) => semver.rsort([...versions])[0]
exports.where = __filename
