'use strict';
// DOMException: an Error-like object (prototype chained to Error.prototype)
// with name/message/code accessors, as in Node.

const {
  Error,
  ErrorCaptureStackTrace,
  Map,
  MapPrototypeGet,
  MapPrototypeSet,
  ObjectDefineProperty,
  ObjectSetPrototypeOf,
  SymbolToStringTag,
  TypeError,
} = require('primordials');

const legacyCodes = [
  ['IndexSizeError', 'INDEX_SIZE_ERR', 1],
  ['DOMStringSizeError', 'DOMSTRING_SIZE_ERR', 2],
  ['HierarchyRequestError', 'HIERARCHY_REQUEST_ERR', 3],
  ['WrongDocumentError', 'WRONG_DOCUMENT_ERR', 4],
  ['InvalidCharacterError', 'INVALID_CHARACTER_ERR', 5],
  ['NoDataAllowedError', 'NO_DATA_ALLOWED_ERR', 6],
  ['NoModificationAllowedError', 'NO_MODIFICATION_ALLOWED_ERR', 7],
  ['NotFoundError', 'NOT_FOUND_ERR', 8],
  ['NotSupportedError', 'NOT_SUPPORTED_ERR', 9],
  ['InUseAttributeError', 'INUSE_ATTRIBUTE_ERR', 10],
  ['InvalidStateError', 'INVALID_STATE_ERR', 11],
  ['SyntaxError', 'SYNTAX_ERR', 12],
  ['InvalidModificationError', 'INVALID_MODIFICATION_ERR', 13],
  ['NamespaceError', 'NAMESPACE_ERR', 14],
  ['InvalidAccessError', 'INVALID_ACCESS_ERR', 15],
  ['ValidationError', 'VALIDATION_ERR', 16],
  ['TypeMismatchError', 'TYPE_MISMATCH_ERR', 17],
  ['SecurityError', 'SECURITY_ERR', 18],
  ['NetworkError', 'NETWORK_ERR', 19],
  ['AbortError', 'ABORT_ERR', 20],
  ['URLMismatchError', 'URL_MISMATCH_ERR', 21],
  ['QuotaExceededError', 'QUOTA_EXCEEDED_ERR', 22],
  ['TimeoutError', 'TIMEOUT_ERR', 23],
  ['InvalidNodeTypeError', 'INVALID_NODE_TYPE_ERR', 24],
  ['DataCloneError', 'DATA_CLONE_ERR', 25],
];
const nameToCode = new Map();
for (let i = 0; i < legacyCodes.length; i++) MapPrototypeSet(nameToCode, legacyCodes[i][0], legacyCodes[i][2]);

function invalidThis() {
  return require('errors').makeNodeError(TypeError, 'ERR_INVALID_THIS', 'Value of "this" must be of type DOMException');
}

class DOMException {
  #name;
  #message;

  constructor(message = '', options = 'Error') {
    this.#message = `${message}`;
    if (options !== null && typeof options === 'object') {
      this.#name = `${options.name}`;
      if ('cause' in options) {
        ObjectDefineProperty(this, 'cause', {
          __proto__: null,
          value: options.cause, configurable: true, writable: true, enumerable: false,
        });
      }
    } else {
      this.#name = `${options}`;
    }
    ErrorCaptureStackTrace(this, DOMException);
  }

  static #check(self) {
    if (self === null || typeof self !== 'object' || !(#name in self)) throw invalidThis();
  }

  get name() { DOMException.#check(this); return this.#name; }
  get message() { DOMException.#check(this); return this.#message; }
  get code() {
    DOMException.#check(this);
    const code = MapPrototypeGet(nameToCode, this.#name);
    return code === undefined ? 0 : code;
  }
}

ObjectSetPrototypeOf(DOMException.prototype, Error.prototype);
ObjectDefineProperty(DOMException.prototype, SymbolToStringTag, {
  __proto__: null, value: 'DOMException', configurable: true,
});
require('errors').enumerableInOrder(DOMException.prototype, ['name', 'message', 'code']);
for (let i = 0; i < legacyCodes.length; i++) {
  const desc = { __proto__: null, enumerable: true, value: legacyCodes[i][2] };
  ObjectDefineProperty(DOMException, legacyCodes[i][1], desc);
  ObjectDefineProperty(DOMException.prototype, legacyCodes[i][1], desc);
}

exports.DOMException = DOMException;
