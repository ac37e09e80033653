'use strict';
// Test harness: one sandbox portal per test file, HubSpot's official
// client pointed at it, and a recorder under the client's HTTP layer that
// checks every response body, as sent, against the client's models.
//
// The client's transport calls the global fetch at request time
// (lib/src/services/http/Transport.js), so wrapping globalThis.fetch sees
// every exchange, including each attempt the client's retry decorator
// makes, before any deserialization.

const assert = require('node:assert/strict');
const {spawn} = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');
const {before, after, afterEach} = require('node:test');
const hubspot = require('@hubspot/api-client');

const {checkBody} = require('./models');
const {modelFor} = require('./routes');
const {pending} = require('./pending');

const TOKEN = 'contract-test-token';
const HSMIGRATE = process.env.HSMIGRATE ||
    path.resolve(__dirname, '../../../build/asan/hsmigrate');
const START_TIMEOUT_MS = 20000;
const STOP_TIMEOUT_MS = 20000;
const UUID =
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const exchanges = [];
const modelsSeen = new Set();
let checkedUpTo = 0;

function checkJson(ex, pkg, model) {
    const problems = [];
    const type = (ex.headers['content-type'] || '').split(';')[0].trim();
    if (type !== 'application/json')
        problems.push(`content-type is '${type}', the client parses only ` +
                      'application/json');
    try {
        ex.json = JSON.parse(ex.text);
    } catch (err) {
        problems.push(`body is not JSON (${err.message}): ` +
                      ex.text.slice(0, 200));
        return problems;
    }
    for (const p of checkBody(pkg, model, ex.json))
        problems.push(`${model}: ${p}`);
    if (ex.status >= 400 && ex.json.correlationId !== undefined &&
        ex.json.correlationId !== ex.headers['x-hubspot-correlation-id'])
        problems.push('body correlationId differs from the ' +
                      'X-HubSpot-Correlation-Id header');
    return problems;
}

// Problems with one exchange: the correlation id every response carries,
// then the body against the model the client would read it with.
function checkExchange(ex) {
    const problems = [];
    const cid = ex.headers['x-hubspot-correlation-id'];
    if (!cid)
        problems.push('no X-HubSpot-Correlation-Id header');
    else if (!UUID.test(cid))
        problems.push(`X-HubSpot-Correlation-Id '${cid}' is not a uuid`);

    const m = modelFor(ex.method, ex.path, ex.status);
    if (m.error) {
        problems.push(m.error);
    } else if (m.model === null) {
        if (ex.text.length !== 0)
            problems.push(`status ${ex.status} should have no body, got ` +
                          ex.text.slice(0, 200));
    } else {
        problems.push(...checkJson(ex, m.pkg, m.model));
        modelsSeen.add(m.model);
    }
    return problems;
}

function installRecorder() {
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (input, init = {}) => {
        const url = new URL(typeof input === 'string' ? input : input.url);
        // Only the local sandbox: a client left without a basePath would
        // otherwise go for HubSpot itself.
        if (url.hostname !== '127.0.0.1')
            throw new Error(`refusing a request to ${url.origin}: tests ` +
                            'talk to the sandbox on 127.0.0.1 only');
        const res = await realFetch(input, init);
        const ex = {
            method: (init.method || 'GET').toUpperCase(),
            path: url.pathname,
            query: url.search,
            requestBody: init.body,
            status: res.status,
            headers: Object.fromEntries(res.headers),
            text: await res.clone().text(),
            json: undefined,
        };
        ex.admin = ex.path.startsWith('/_sandbox/');
        ex.problems = ex.admin ? [] : checkExchange(ex);
        exchanges.push(ex);
        return res;
    };
}

// Fails the current test when any exchange since the last check broke
// the contract; each message names the request and the offending field.
function assertExchangesConform() {
    const fresh = exchanges.slice(checkedUpTo);
    checkedUpTo = exchanges.length;
    const bad = fresh.filter((ex) => ex.problems.length > 0);
    if (bad.length === 0)
        return;
    const lines = bad.map((ex) => `${ex.method} ${ex.path}${ex.query} -> ` +
        `${ex.status}\n    ${ex.problems.join('\n    ')}`);
    assert.fail(`responses that break the client's contract:\n` +
                lines.join('\n'));
}

class Sandbox {
    constructor(flags) {
        this.flags = flags;
        this.proc = null;
        this.url = null;
        this.stderr = '';
    }

    start() {
        const args = ['sandbox', '--port', '0', '--token', TOKEN,
                      ...this.flags];
        this.proc = spawn(HSMIGRATE, args, {stdio: ['ignore', 'pipe', 'pipe']});
        this.proc.stderr.on('data', (d) => {
            this.stderr += d;
        });
        this.exited = new Promise((resolve) => {
            this.proc.on('exit', (code, signal) => resolve({code, signal}));
        });
        return new Promise((resolve, reject) => {
            const lines = readline.createInterface({input: this.proc.stdout});
            const timer = setTimeout(() => reject(new Error(
                `sandbox did not start in ${START_TIMEOUT_MS} ms: ` +
                this.stderr)), START_TIMEOUT_MS);
            this.proc.on('error', (err) => {
                clearTimeout(timer);
                reject(err);
            });
            this.exited.then(({code}) => {
                clearTimeout(timer);
                reject(new Error(`sandbox exited (${code}): ${this.stderr}`));
            });
            lines.once('line', (line) => {
                clearTimeout(timer);
                const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(
                    line);
                if (!m)
                    return reject(new Error(`unexpected first line '${line}'`));
                this.url = m[1];
                // Keep draining stdout so the sandbox never blocks on it.
                lines.on('line', () => {});
                resolve();
            });
        });
    }

    // Stops the sandbox with SIGTERM and returns how it exited; one that
    // does not stop within STOP_TIMEOUT_MS is killed and reported.
    async stop() {
        if (!this.proc || this.proc.exitCode !== null ||
            this.proc.signalCode !== null)
            return this.exited;
        this.proc.kill('SIGTERM');
        let timer;
        const late = new Promise((resolve) => {
            timer = setTimeout(() => {
                this.stderr += `\nno exit ${STOP_TIMEOUT_MS} ms after SIGTERM`;
                this.proc.kill('SIGKILL');
                resolve(this.exited);
            }, STOP_TIMEOUT_MS);
        });
        const result = await Promise.race([this.exited, late]);
        clearTimeout(timer);
        return result;
    }
}

// setup({flags, features, init}) registers the file's hooks and returns
// the handle tests use. The sandbox starts only when some feature the file
// needs is served (see pending.js), so a file whose every test is skipped
// does not need a sandbox at all. init(h), when given, runs once the
// sandbox is up: node:test does not order a file's own before() after
// this one.
function setup(opts = {}) {
    const features = opts.features || [];
    const h = {
        sandbox: new Sandbox(opts.flags || []),
        token: TOKEN,
        get url() {
            return this.sandbox.url;
        },
    };
    const anyLive = features.length === 0 ||
        features.some((f) => !pending(f));

    before(async () => {
        installRecorder();
        if (!anyLive)
            return;
        await h.sandbox.start();
        if (opts.init)
            await opts.init(h);
    });
    afterEach(() => assertExchangesConform());
    after(async () => {
        if (modelsSeen.size > 0)
            console.log(`models checked: ${[...modelsSeen].sort().join(', ')}`);
        if (!h.sandbox.proc)
            return;
        // A clean exit on SIGTERM also means no ASan or leak report.
        const {code, signal} = await h.sandbox.stop();
        assert.equal(code, 0, `sandbox exit (signal ${signal}): ` +
                     h.sandbox.stderr.slice(-2000));
    });

    h.client = (config = {}) => {
        if (!h.url)
            throw new Error('the sandbox is not running');
        return new hubspot.Client({
            accessToken: TOKEN,
            basePath: h.url,
            numberOfApiCallRetries: 0,
            ...config,
        });
    };
    h.exchanges = exchanges;
    h.last = () => exchanges[exchanges.length - 1];
    h.raw = (method, p, options = {}) => rawRequest(h, method, p, options);
    h.admin = (method, p, body) => rawRequest(h, method, p, {body,
                                                            token: null});
    h.stats = async () => (await h.admin('GET', '/_sandbox/stats')).json;
    return h;
}

// A request outside the client (missing token, admin endpoints). It goes
// through the recorder, so its body is checked like any other.
async function rawRequest(h, method, p, {body, token = TOKEN,
                                         headers = {}} = {}) {
    const init = {method, headers: {...headers}};
    if (token !== null)
        init.headers.authorization = `Bearer ${token}`;
    if (body !== undefined) {
        init.headers['content-type'] = 'application/json';
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    await globalThis.fetch(h.url + p, init);
    const ex = exchanges[exchanges.length - 1];
    let json;
    try {
        json = ex.text ? JSON.parse(ex.text) : undefined;
    } catch {
        json = undefined;
    }
    return {status: ex.status, headers: ex.headers, json, text: ex.text};
}

// Awaits a client call that must fail with `status`; returns the
// client's ApiException so the test can look at code, body and headers.
async function rejects(promise, status) {
    let error;
    try {
        await promise;
    } catch (err) {
        error = err;
    }
    assert.ok(error, `expected HTTP ${status}, the call succeeded`);
    assert.equal(error.code, status,
                 `expected HTTP ${status}: ${error.stack || error}`);
    return error;
}

module.exports = {setup, rejects, TOKEN, HSMIGRATE};
