'use strict';
// util.parseArgs (Node 20's semantics, tokens and errors) and
// util.parseEnv (the .env format Node 20.20's parser reads).

const {
  ArrayIsArray,
  ArrayPrototypeIncludes,
  ArrayPrototypePush,
  ArrayPrototypeShift,
  ArrayPrototypeUnshift,
  JSONStringify,
  ObjectKeys,
  ObjectPrototypeHasOwnProperty,
  SafeArraySlice,
  SafeStringReplaceAll,
  StringPrototypeCharCodeAt,
  StringPrototypeIncludes,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
  TypeError,
} = require('primordials');
const errors = require('errors');

const hasOwn = (obj, key) => ObjectPrototypeHasOwnProperty(obj, key);

function objectGetOwn(obj, prop) {
  if (hasOwn(obj, prop)) return obj[prop];
}

function optionsGetOwn(options, longOption, prop) {
  if (hasOwn(options, longOption)) return objectGetOwn(options[longOption], prop);
}

function parseError(code, message) {
  return errors.makeNodeError(TypeError, code, message, parseArgs);
}

function invalidType(name, expected, value) {
  return errors.invalidArgType(name, expected, value, parseArgs);
}

function validateBoolean(value, name) {
  if (typeof value !== 'boolean') throw invalidType(name, 'boolean', value);
}

function validateString(value, name) {
  if (typeof value !== 'string') throw invalidType(name, 'string', value);
}

function validateObject(value, name) {
  if (value === null || typeof value !== 'object' || ArrayIsArray(value)) throw invalidType(name, 'Object', value);
}

function validateArrayOf(value, name, check) {
  if (!ArrayIsArray(value)) throw invalidType(name, 'Array', value);
  for (let i = 0; i < value.length; i++) check(value[i], `${name}[${i}]`);
}

// The arguments after the script (after `node` alone under -e/-p).
function mainArgs() {
  const process = require('process').getProcess();
  const execArgv = process.execArgv;
  if (ArrayPrototypeIncludes(execArgv, '-e') || ArrayPrototypeIncludes(execArgv, '--eval') ||
      ArrayPrototypeIncludes(execArgv, '-p') || ArrayPrototypeIncludes(execArgv, '--print')) {
    return SafeArraySlice(process.argv, 1);
  }
  return SafeArraySlice(process.argv, 2);
}

const isOptionValue = (value) => value != null;
const isOptionLikeValue = (value) => value != null && value.length > 1 && value[0] === '-';
const isLoneShortOption = (arg) => arg.length === 2 && arg[0] === '-' && arg[1] !== '-';
const isLoneLongOption = (arg) => arg.length > 2 && StringPrototypeStartsWith(arg, '--') &&
  !StringPrototypeIncludes(arg, '=', 3);
const isLongOptionAndValue = (arg) => arg.length > 2 && StringPrototypeStartsWith(arg, '--') &&
  StringPrototypeIncludes(arg, '=', 3);

function findLongOptionForShort(shortOption, options) {
  const names = ObjectKeys(options);
  for (let i = 0; i < names.length; i++) {
    if (objectGetOwn(options[names[i]], 'short') === shortOption) return names[i];
  }
  return shortOption;
}

function isShortOptionGroup(arg, options) {
  if (arg.length <= 2 || arg[0] !== '-' || arg[1] === '-') return false;
  return optionsGetOwn(options, findLongOptionForShort(arg[1], options), 'type') !== 'string';
}

function isShortOptionAndValue(arg, options) {
  if (arg.length <= 2 || arg[0] !== '-' || arg[1] === '-') return false;
  return optionsGetOwn(options, findLongOptionForShort(arg[1], options), 'type') === 'string';
}

function checkOptionLikeValue(token) {
  if (!token.inlineValue && isOptionLikeValue(token.value)) {
    const example = StringPrototypeStartsWith(token.rawName, '--')
      ? `'${token.rawName}=-XYZ'` : `'--${token.name}=-XYZ' or '${token.rawName}-XYZ'`;
    throw parseError('ERR_PARSE_ARGS_INVALID_OPTION_VALUE', `Option '${token.rawName}' argument is ambiguous.\n` +
      `Did you forget to specify the option argument for '${token.rawName}'?\n` +
      `To specify an option argument starting with a dash use ${example}.`);
  }
}

function unknownOption(option, allowPositionals) {
  const hint = allowPositionals ? '. To specify a positional argument starting with a \'-\', place it at the end ' +
    `of the command after '--', as in '-- ${JSONStringify(option)}` : '';
  return parseError('ERR_PARSE_ARGS_UNKNOWN_OPTION', `Unknown option '${option}'${hint}`);
}

function checkOptionUsage(config, token) {
  let name = token.name;
  if (!hasOwn(config.options, name)) {
    if (config.allowNegative && StringPrototypeStartsWith(name, 'no-')) {
      name = StringPrototypeSlice(name, 3);
      if (!hasOwn(config.options, name) || optionsGetOwn(config.options, name, 'type') !== 'boolean') {
        throw unknownOption(token.rawName, config.allowPositionals);
      }
    } else {
      throw unknownOption(token.rawName, config.allowPositionals);
    }
  }
  const short = optionsGetOwn(config.options, name, 'short');
  const shortAndLong = `${short ? `-${short}, ` : ''}--${name}`;
  const type = optionsGetOwn(config.options, name, 'type');
  if (type === 'string' && typeof token.value !== 'string') {
    throw parseError('ERR_PARSE_ARGS_INVALID_OPTION_VALUE', `Option '${shortAndLong} <value>' argument missing`);
  }
  if (type === 'boolean' && token.value != null) {
    throw parseError('ERR_PARSE_ARGS_INVALID_OPTION_VALUE', `Option '${shortAndLong}' does not take an argument`);
  }
}

function storeOption(token, options, values, allowNegative) {
  let name = token.name;
  let value = token.value;
  if (name === '__proto__') return;
  if (allowNegative && StringPrototypeStartsWith(name, 'no-') && value === undefined) {
    name = StringPrototypeSlice(name, 3);
    token.name = name;
    value = false;
  }
  const newValue = value ?? true;
  if (optionsGetOwn(options, name, 'multiple')) {
    if (values[name]) ArrayPrototypePush(values[name], newValue);
    else values[name] = [newValue];
  } else {
    values[name] = newValue;
  }
}

function argsToTokens(args, options) {
  const tokens = [];
  let index = -1;
  let groupCount = 0;
  const remaining = SafeArraySlice(args);
  while (remaining.length > 0) {
    const arg = ArrayPrototypeShift(remaining);
    const nextArg = remaining[0];
    if (groupCount > 0) groupCount--;
    else index++;

    if (arg === '--') {
      ArrayPrototypePush(tokens, { kind: 'option-terminator', index });
      for (let i = 0; i < remaining.length; i++) {
        ArrayPrototypePush(tokens, { kind: 'positional', index: ++index, value: remaining[i] });
      }
      break;
    }
    if (isLoneShortOption(arg)) {
      const longOption = findLongOptionForShort(arg[1], options);
      let value;
      let inlineValue;
      if (optionsGetOwn(options, longOption, 'type') === 'string' && isOptionValue(nextArg)) {
        value = ArrayPrototypeShift(remaining);
        inlineValue = false;
      }
      ArrayPrototypePush(tokens, { kind: 'option', name: longOption, rawName: arg, index, value, inlineValue });
      if (value != null) ++index;
      continue;
    }
    if (isShortOptionGroup(arg, options)) {
      // -abc is -a -b -c; a string option inside takes the rest: -abfFILE.
      const expanded = [];
      for (let i = 1; i < arg.length; i++) {
        const short = arg[i];
        const longOption = findLongOptionForShort(short, options);
        if (optionsGetOwn(options, longOption, 'type') !== 'string' || i === arg.length - 1) {
          ArrayPrototypePush(expanded, `-${short}`);
        } else {
          ArrayPrototypePush(expanded, `-${StringPrototypeSlice(arg, i)}`);
          break;
        }
      }
      for (let i = expanded.length - 1; i >= 0; i--) ArrayPrototypeUnshift(remaining, expanded[i]);
      groupCount = expanded.length;
      continue;
    }
    if (isShortOptionAndValue(arg, options)) {
      const short = arg[1];
      ArrayPrototypePush(tokens, {
        kind: 'option', name: findLongOptionForShort(short, options), rawName: `-${short}`,
        index, value: StringPrototypeSlice(arg, 2), inlineValue: true,
      });
      continue;
    }
    if (isLoneLongOption(arg)) {
      const longOption = StringPrototypeSlice(arg, 2);
      let value;
      let inlineValue;
      if (optionsGetOwn(options, longOption, 'type') === 'string' && isOptionValue(nextArg)) {
        value = ArrayPrototypeShift(remaining);
        inlineValue = false;
      }
      ArrayPrototypePush(tokens, { kind: 'option', name: longOption, rawName: arg, index, value, inlineValue });
      if (value != null) ++index;
      continue;
    }
    if (isLongOptionAndValue(arg)) {
      const eq = StringPrototypeIndexOf(arg, '=');
      const longOption = StringPrototypeSlice(arg, 2, eq);
      ArrayPrototypePush(tokens, {
        kind: 'option', name: longOption, rawName: `--${longOption}`,
        index, value: StringPrototypeSlice(arg, eq + 1), inlineValue: true,
      });
      continue;
    }
    ArrayPrototypePush(tokens, { kind: 'positional', index, value: arg });
  }
  return tokens;
}

function parseArgs(config = { __proto__: null }) {
  const args = objectGetOwn(config, 'args') ?? mainArgs();
  const strict = objectGetOwn(config, 'strict') ?? true;
  const allowPositionals = objectGetOwn(config, 'allowPositionals') ?? !strict;
  const returnTokens = objectGetOwn(config, 'tokens') ?? false;
  const allowNegative = objectGetOwn(config, 'allowNegative') ?? false;
  const options = objectGetOwn(config, 'options') ?? { __proto__: null };
  const parseConfig = { __proto__: null, args, strict, options, allowPositionals, allowNegative };

  if (!ArrayIsArray(args)) throw invalidType('args', 'Array', args);
  validateBoolean(strict, 'strict');
  validateBoolean(allowPositionals, 'allowPositionals');
  validateBoolean(returnTokens, 'tokens');
  validateBoolean(allowNegative, 'allowNegative');
  validateObject(options, 'options');
  const names = ObjectKeys(options);
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const optionConfig = options[name];
    validateObject(optionConfig, `options.${name}`);
    const type = objectGetOwn(optionConfig, 'type');
    if (type !== 'string' && type !== 'boolean') throw invalidType(`options.${name}.type`, "('string|boolean')", type);
    if (hasOwn(optionConfig, 'short')) {
      const short = optionConfig.short;
      validateString(short, `options.${name}.short`);
      if (short.length !== 1) {
        throw errors.makeNodeError(TypeError, 'ERR_INVALID_ARG_VALUE',
          `The property 'options.${name}.short' must be a single character. ` +
          `Received ${require('util').inspect(short)}`, parseArgs);
      }
    }
    const multiple = objectGetOwn(optionConfig, 'multiple');
    if (hasOwn(optionConfig, 'multiple')) validateBoolean(multiple, `options.${name}.multiple`);
    const defaultValue = objectGetOwn(optionConfig, 'default');
    if (defaultValue !== undefined) {
      const check = type === 'string' ? validateString : validateBoolean;
      if (multiple) validateArrayOf(defaultValue, `options.${name}.default`, check);
      else check(defaultValue, `options.${name}.default`);
    }
  }

  const tokens = argsToTokens(args, options);
  const result = { values: { __proto__: null }, positionals: [] };
  if (returnTokens) result.tokens = tokens;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === 'option') {
      if (strict) {
        checkOptionUsage(parseConfig, token);
        checkOptionLikeValue(token);
      }
      storeOption(token, options, result.values, allowNegative);
    } else if (token.kind === 'positional') {
      if (!allowPositionals) {
        throw parseError('ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL',
          `Unexpected argument '${token.value}'. This command does not take positional arguments`);
      }
      ArrayPrototypePush(result.positionals, token.value);
    }
  }
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const defaultValue = objectGetOwn(options[name], 'default');
    if (defaultValue !== undefined && result.values[name] === undefined && name !== '__proto__') {
      result.values[name] = defaultValue;
    }
  }
  return result;
}

// ---- .env ----

// Trims spaces only (not tabs), as Node's parser does.
function trimSpaces(s) {
  let start = 0;
  let end = s.length;
  while (start < end && StringPrototypeCharCodeAt(s, start) === 32) start++;
  while (end > start && StringPrototypeCharCodeAt(s, end - 1) === 32) end--;
  return StringPrototypeSlice(s, start, end);
}

function parseEnv(input) {
  const store = {};
  let content = trimSpaces(SafeStringReplaceAll(input, '\r', ''));
  while (content.length !== 0) {
    // Blank lines and comments.
    if (content[0] === '\n' || content[0] === '#') {
      const newline = StringPrototypeIndexOf(content, '\n');
      if (newline !== -1) {
        content = StringPrototypeSlice(content, newline + 1);
        continue;
      }
    }
    const equal = StringPrototypeIndexOf(content, '=');
    if (equal === -1) break;
    let key = trimSpaces(StringPrototypeSlice(content, 0, equal));
    content = StringPrototypeSlice(content, equal + 1);
    if (content.length === 0 || content[0] === '\n') {
      store[key] = '';
      continue;
    }
    content = trimSpaces(content);
    if (key.length === 0) break;
    if (StringPrototypeStartsWith(key, 'export ')) key = StringPrototypeSlice(key, 7);
    if (content.length === 0) {
      store[key] = '';
      break;
    }
    const quote = content[0];
    if (quote === '"' || quote === "'" || quote === '`') {
      const closing = StringPrototypeIndexOf(content, quote, 1);
      if (closing === -1) {
        // No closing quote: the rest of the line, quote and all.
        const newline = StringPrototypeIndexOf(content, '\n');
        if (newline !== -1) {
          store[key] = StringPrototypeSlice(content, 0, newline);
          content = StringPrototypeSlice(content, newline);
        }
      } else {
        let value = StringPrototypeSlice(content, 1, closing);
        // Only double quotes expand \n.
        if (quote === '"') value = SafeStringReplaceAll(value, '\\n', '\n');
        store[key] = value;
        const newline = StringPrototypeIndexOf(content, '\n', closing + 1);
        content = newline !== -1 ? StringPrototypeSlice(content, newline) : '';
      }
    } else {
      const newline = StringPrototypeIndexOf(content, '\n');
      let value = newline !== -1 ? StringPrototypeSlice(content, 0, newline) : content;
      const hash = StringPrototypeIndexOf(value, '#');
      if (hash !== -1) value = StringPrototypeSlice(value, 0, hash);
      store[key] = trimSpaces(value);
      content = newline !== -1 ? StringPrototypeSlice(content, newline) : '';
    }
    content = trimSpaces(content);
  }
  return store;
}

exports.parseArgs = parseArgs;
exports.parseEnv = parseEnv;
