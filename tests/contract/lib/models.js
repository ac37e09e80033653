'use strict';
// Checks a JSON body, as it came off the wire, against the response models
// generated into @hubspot/api-client. Each model class carries a static
// attributeTypeMap (JSON name, type, format); which attributes are optional
// is only visible in the TypeScript declaration next to it ('name'?: T), so
// that file is read too.
//
// Rules, applied recursively:
// - a field the model does not declare is a problem, unless it is listed in
//   DOCUMENTED_EXTRAS with the HubSpot source that shows it on the wire;
// - a required attribute that is absent or null is a problem; an optional
//   one may be absent or null (the generator drops nullability, and HubSpot
//   documents null for optional fields such as an unlabeled association's
//   label or a deactivated owner's userId);
// - every value must have its declared type: string, number (int32/int64
//   formats must be integers), boolean, Date (an ISO 8601 string), uuid,
//   arrays, maps, enums (one of the generated enum's values) and nested
//   models.

const fs = require('node:fs');
const path = require('node:path');

const CODEGEN = path.join(
    path.dirname(require.resolve('@hubspot/api-client/package.json')),
    'lib', 'codegen', 'crm');

// The client's generated packages this suite checks against.
const PACKAGES = {
    objects: 'objects',
    contacts: 'contacts',
    properties: 'properties',
    associations: 'associations/v4',
    associationsSchema: 'associations/v4/schema',
    owners: 'owners',
    pipelines: 'pipelines',
};

// HubSpot's error bodies carry "status":"error" although the generated
// Error model has no such attribute: the error-handling page's examples
// and every observed error body show it (shared/reference/hubspot-api.md
// section 2.2, "Top-level Error").
const DOCUMENTED_EXTRAS = {
    Error: {
        status: {type: 'string', format: '', enumValues: ['error']},
    },
};

// The 429 body has no generated model (the client deserializes it as a
// plain Error). Its documented shape (reference section 1.4, usage
// guidelines page and observed bodies) is written here in the same form.
const DOCUMENTED_MODELS = {
    RateLimitError: {
        attributes: [
            {baseName: 'status', type: 'string', format: ''},
            {baseName: 'message', type: 'string', format: ''},
            {baseName: 'errorType', type: 'RateLimitErrorTypeEnum',
             format: ''},
            {baseName: 'correlationId', type: 'string', format: 'uuid'},
            {baseName: 'policyName', type: 'RateLimitPolicyNameEnum',
             format: ''},
            {baseName: 'requestId', type: 'string', format: ''},
            {baseName: 'groupName', type: 'string', format: ''},
        ],
        optional: new Set(['requestId', 'groupName']),
    },
};
const DOCUMENTED_ENUMS = {
    RateLimitErrorTypeEnum: new Set(['RATE_LIMIT']),
    RateLimitPolicyNameEnum:
        new Set(['TEN_SECONDLY_ROLLING', 'DAILY', 'SECONDLY']),
};

const ISO_DATE_TIME =
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const UUID =
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAP_PREFIX = '{ [key: string]: ';
const MAP_SUFFIX = '; }';

const cache = new Map();

// Optional attribute names (TypeScript names) of one model, read from its
// declaration file: attributes sit at four spaces of indent.
function readOptional(dir, fileBase) {
    const file = path.join(dir, fileBase + '.d.ts');
    const optional = new Set();
    const required = new Set();
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        const m = /^ {4}'([^']+)'(\?)?:/.exec(line);
        if (m)
            (m[2] ? optional : required).add(m[1]);
    }
    return {optional, required};
}

function loadPackage(key) {
    if (cache.has(key))
        return cache.get(key);
    const rel = PACKAGES[key];
    if (!rel)
        throw new Error(`unknown client package '${key}'`);
    const dir = path.join(CODEGEN, rel, 'models');
    const all = require(path.join(dir, 'all.js'));
    const models = new Map();
    const enums = new Map();
    for (const [name, value] of Object.entries(all)) {
        if (typeof value === 'function' && value.attributeTypeMap) {
            const {optional, required} = readOptional(dir, name);
            const attributes = value.attributeTypeMap.map((a) => {
                if (!optional.has(a.name) && !required.has(a.name))
                    throw new Error(`${rel}/${name}.d.ts lacks '${a.name}'`);
                return {...a, optional: optional.has(a.name)};
            });
            models.set(name, attributes);
        } else if (value && typeof value === 'object' &&
                   name.endsWith('Enum')) {
            enums.set(name, new Set(Object.values(value)));
        }
    }
    const pkg = {key, models, enums};
    cache.set(key, pkg);
    return pkg;
}

// The generated Error model is exported as ModelError; the spec and the
// response processors call it Error.
function modelAttributes(pkg, name) {
    if (DOCUMENTED_MODELS[name]) {
        const m = DOCUMENTED_MODELS[name];
        return m.attributes.map(
            (a) => ({...a, name: a.baseName,
                     optional: m.optional.has(a.baseName)}));
    }
    const cls = name === 'Error' ? 'ModelError' : name;
    return pkg.models.get(cls);
}

function isPlainObject(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function describe(v) {
    if (v === null)
        return 'null';
    if (Array.isArray(v))
        return 'array';
    return typeof v;
}

function checkPrimitive(type, format, value, where, problems) {
    const bad = (what) => problems.push(
        `${where}: expected ${what}, got ${describe(value)} ` +
        `${JSON.stringify(value)}`);
    switch (type) {
    case 'string':
        if (typeof value !== 'string')
            return bad('string'), true;
        if (format === 'uuid' && !UUID.test(value))
            bad('uuid string');
        if (format === 'date-time' && !ISO_DATE_TIME.test(value))
            bad('ISO 8601 date-time string');
        return true;
    case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value))
            return bad('number'), true;
        if (/^int/.test(format) && !Number.isInteger(value))
            bad(`integer (${format})`);
        return true;
    case 'boolean':
        if (typeof value !== 'boolean')
            bad('boolean');
        return true;
    case 'Date':
        if (typeof value !== 'string' || !ISO_DATE_TIME.test(value) ||
            Number.isNaN(Date.parse(value)))
            bad('ISO 8601 date-time string');
        return true;
    case 'any':
        return true;
    default:
        return false;
    }
}

function checkValue(pkg, type, format, value, where, problems) {
    if (type.endsWith(' | null')) {
        if (value === null)
            return;
        type = type.slice(0, -' | null'.length);
    }
    if (value === null) {
        problems.push(`${where}: null where ${type} is declared`);
        return;
    }
    if (checkPrimitive(type, format, value, where, problems))
        return;
    if (type.startsWith('Array<') && type.endsWith('>')) {
        if (!Array.isArray(value)) {
            problems.push(`${where}: expected array, got ${describe(value)}`);
            return;
        }
        const inner = type.slice('Array<'.length, -1);
        value.forEach((item, i) =>
            checkValue(pkg, inner, format, item, `${where}[${i}]`, problems));
        return;
    }
    if (type.startsWith(MAP_PREFIX) && type.endsWith(MAP_SUFFIX)) {
        if (!isPlainObject(value)) {
            problems.push(`${where}: expected map, got ${describe(value)}`);
            return;
        }
        const inner = type.slice(MAP_PREFIX.length, -MAP_SUFFIX.length);
        for (const [k, v] of Object.entries(value))
            checkValue(pkg, inner, format, v, `${where}.${k}`, problems);
        return;
    }
    const enumValues = pkg.enums.get(type) || DOCUMENTED_ENUMS[type];
    if (enumValues) {
        if (!enumValues.has(value))
            problems.push(`${where}: ${JSON.stringify(value)} is not one ` +
                          `of ${type} [${[...enumValues].join(', ')}]`);
        return;
    }
    if (modelAttributes(pkg, type)) {
        checkModel(pkg, type, value, where, problems);
        return;
    }
    problems.push(`${where}: the checker does not know type '${type}'`);
}

function checkModel(pkg, name, value, where, problems) {
    const attributes = modelAttributes(pkg, name);
    if (!attributes) {
        problems.push(`${where}: no model '${name}' in client package ` +
                      `${pkg.key}`);
        return;
    }
    if (!isPlainObject(value)) {
        problems.push(`${where}: expected ${name} object, got ` +
                      `${describe(value)}`);
        return;
    }
    const extras = DOCUMENTED_EXTRAS[name] || {};
    const byJsonName = new Map(attributes.map((a) => [a.baseName, a]));
    for (const key of Object.keys(value)) {
        if (byJsonName.has(key))
            continue;
        const extra = extras[key];
        if (!extra) {
            problems.push(`${where}.${key}: field not declared by ${name}`);
        } else if (extra.enumValues &&
                   !extra.enumValues.includes(value[key])) {
            problems.push(`${where}.${key}: ${JSON.stringify(value[key])} ` +
                          `is not one of [${extra.enumValues.join(', ')}]`);
        } else {
            checkValue(pkg, extra.type, extra.format, value[key],
                       `${where}.${key}`, problems);
        }
    }
    for (const a of attributes) {
        const v = value[a.baseName];
        const at = `${where}.${a.baseName}`;
        if (v === undefined || v === null) {
            if (!a.optional)
                problems.push(`${at}: required by ${name} but ` +
                              `${v === null ? 'null' : 'missing'}`);
            continue;
        }
        checkValue(pkg, a.type, a.format, v, at, problems);
    }
}

// Returns the list of problems (empty when the body conforms).
function checkBody(packageKey, modelName, body) {
    const pkg = loadPackage(packageKey);
    const problems = [];
    checkModel(pkg, modelName, body, '$', problems);
    return problems;
}

function hasModel(packageKey, modelName) {
    return Boolean(modelAttributes(loadPackage(packageKey), modelName));
}

module.exports = {checkBody, hasModel, PACKAGES};
