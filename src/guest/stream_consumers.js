'use strict';
// require('stream/consumers'): a whole stream (Node or web, or any async
// iterable) read into one value. As in Node, the stream is read with
// `for await`, through the iterator the stream itself provides.

const {
  ArrayBufferIsView,
  ArrayPrototypePush,
  JSONParse,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeSet,
  Uint8Array,
  ArrayBufferPrototypeGetByteLength,
  DataViewPrototypeGetBuffer,
  DataViewPrototypeGetByteLength,
  DataViewPrototypeGetByteOffset,
} = require('primordials');

// The chunk's bytes, as Blob takes its parts: strings as UTF-8, views
// and ArrayBuffers as they are, anything else as its string.
function bytesOf(chunk) {
  if (ArrayBufferIsView(chunk)) {
    try {
      return new Uint8Array(TypedArrayPrototypeGetBuffer(chunk), TypedArrayPrototypeGetByteOffset(chunk),
        TypedArrayPrototypeGetByteLength(chunk));
    } catch {
      return new Uint8Array(DataViewPrototypeGetBuffer(chunk), DataViewPrototypeGetByteOffset(chunk),
        DataViewPrototypeGetByteLength(chunk));
    }
  }
  if (typeof chunk === 'object' && chunk !== null) {
    try {
      ArrayBufferPrototypeGetByteLength(chunk);
      return new Uint8Array(chunk);
    } catch {
      // Not an ArrayBuffer.
    }
  }
  return require('buffer').api.Buffer.from(`${chunk}`, 'utf8');
}

async function bytes(stream) {
  const chunks = [];
  let length = 0;
  for await (const chunk of stream) {
    const b = bytesOf(chunk);
    ArrayPrototypePush(chunks, b);
    length += TypedArrayPrototypeGetByteLength(b);
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (let i = 0; i < chunks.length; i++) {
    TypedArrayPrototypeSet(out, chunks[i], at);
    at += TypedArrayPrototypeGetByteLength(chunks[i]);
  }
  return out;
}

async function arrayBuffer(stream) {
  return TypedArrayPrototypeGetBuffer(await bytes(stream));
}

async function blob(stream) {
  const { Blob } = require('blob');
  return new Blob([await bytes(stream)]);
}

async function buffer(stream) {
  const b = await bytes(stream);
  return require('buffer').api.Buffer.from(TypedArrayPrototypeGetBuffer(b), 0, TypedArrayPrototypeGetByteLength(b));
}

async function text(stream) {
  const { TextDecoder } = require('encoding');
  const dec = new TextDecoder();
  let str = '';
  for await (const chunk of stream) {
    if (typeof chunk === 'string') str += chunk;
    else str += dec.decode(chunk, { __proto__: null, stream: true });
  }
  str += dec.decode(undefined, { __proto__: null, stream: false });
  return str;
}

async function json(stream) {
  return JSONParse(await text(stream));
}

exports.consumers = { arrayBuffer, blob, buffer, text, json };
