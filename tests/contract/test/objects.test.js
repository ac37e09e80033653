'use strict';
// Objects v3, one record at a time: create, read (also by idProperty),
// update, archive, list with paging, properties and archived, and the
// value validation HubSpot applies to writes.

const assert = require('node:assert/strict');
const {test} = require('node:test');
const {setup, rejects} = require('../lib/harness');
const {pending} = require('../lib/pending');

const h = setup({features: ['objects']});
const skip = pending('objects');

let serial = 0;
function email(tag) {
    serial += 1;
    return `${tag}.${serial}@Example.COM`;
}

// The parsed entries of a "Property values were not valid: [...]" body.
function invalidValues(body) {
    const prefix = 'Property values were not valid: ';
    assert.equal(body.category, 'VALIDATION_ERROR');
    assert.ok(body.message.startsWith(prefix), body.message);
    return JSON.parse(body.message.slice(prefix.length));
}

test('create answers 201 with string values and lowercased email', {skip},
     async () => {
    const api = h.client().crm.contacts.basicApi;
    const addr = email('Ada');
    const c = await api.create({properties: {email: addr,
                                             firstname: 'Ada'}});
    assert.equal(h.last().status, 201);
    assert.match(c.id, /^\d+$/);
    assert.equal(c.properties.email, addr.toLowerCase());
    assert.equal(c.properties.firstname, 'Ada');
    assert.equal(c.properties.hs_object_id, c.id);
    assert.equal(c.archived, false);
});

test('read by id and by idProperty=email, any case', {skip}, async () => {
    const api = h.client().crm.contacts.basicApi;
    const addr = email('Grace');
    const c = await api.create({properties: {email: addr,
                                             lastname: 'Hopper'}});
    const byId = await api.getById(c.id, ['email', 'lastname']);
    assert.equal(byId.id, c.id);
    assert.equal(byId.properties.lastname, 'Hopper');
    const byEmail = await api.getById(addr.toUpperCase(), ['lastname'],
                                      undefined, undefined, false, 'email');
    assert.equal(byEmail.id, c.id);
});

test('properties that do not exist are ignored on read, empty ones null',
     {skip}, async () => {
    const api = h.client().crm.contacts.basicApi;
    const c = await api.create({properties: {email: email('Null')}});
    const read = await api.getById(c.id, ['email', 'firstname',
                                          'not_a_property']);
    assert.equal(read.properties.firstname, null);
    assert.ok(!('not_a_property' in read.properties));
});

test('update changes the value and the timestamp', {skip}, async () => {
    const api = h.client().crm.companies.basicApi;
    const c = await api.create({properties: {name: 'Old name',
                                             domain: 'old.example'}});
    const u = await api.update(c.id, {properties: {name: 'New name'}});
    assert.equal(u.id, c.id);
    assert.equal(u.properties.name, 'New name');
    assert.ok(Date.parse(u.updatedAt) >= Date.parse(c.updatedAt));
    const read = await api.getById(c.id, ['name', 'domain']);
    assert.equal(read.properties.name, 'New name');
    assert.equal(read.properties.domain, 'old.example');
});

test('update by idProperty=email', {skip}, async () => {
    const api = h.client().crm.contacts.basicApi;
    const addr = email('Upd');
    const c = await api.create({properties: {email: addr}});
    await api.update(addr, {properties: {firstname: 'Changed'}}, 'email');
    const read = await api.getById(c.id, ['firstname']);
    assert.equal(read.properties.firstname, 'Changed');
});

test('archive answers 204; the record is gone but listed as archived',
     {skip}, async () => {
    const api = h.client().crm.deals.basicApi;
    const d = await api.create({properties: {dealname: 'To archive'}});
    await api.archive(d.id);
    assert.equal(h.last().status, 204);
    const e = await rejects(api.getById(d.id), 404);
    assert.equal(e.body.category, 'OBJECT_NOT_FOUND');
    const archived = await api.getById(d.id, undefined, undefined,
                                       undefined, true);
    assert.equal(archived.archived, true);
    assert.ok(archived.archivedAt, 'archivedAt is set');

    const live = await api.getPage(100, undefined, ['dealname']);
    assert.ok(!live.results.some((r) => r.id === d.id));
    const gone = await api.getPage(100, undefined, ['dealname'], undefined,
                                   undefined, true);
    assert.ok(gone.results.some((r) => r.id === d.id));
    assert.ok(gone.results.every((r) => r.archived === true));
});

test('list pages with limit and after until paging is absent', {skip},
     async () => {
    const api = h.client().crm.companies.basicApi;
    const made = new Set();
    for (let i = 0; i < 7; i++) {
        const c = await api.create({properties: {name: `Paged ${i}`}});
        made.add(c.id);
    }
    const seen = [];
    let after;
    let pages = 0;
    do {
        const page = await api.getPage(3, after, ['name']);
        assert.ok(page.results.length <= 3);
        seen.push(...page.results.map((r) => r.id));
        after = page.paging?.next?.after;
        pages += 1;
        assert.ok(pages < 100, 'paging terminates');
    } while (after);
    assert.equal(new Set(seen).size, seen.length, 'no record twice');
    for (const id of made)
        assert.ok(seen.includes(id), `company ${id} listed`);
});

test('list returns the requested properties', {skip}, async () => {
    const api = h.client().crm.deals.basicApi;
    await api.create({properties: {dealname: 'Listed', amount: '1200.50'}});
    const page = await api.getPage(100, undefined, ['dealname', 'amount']);
    const hit = page.results.find((r) => r.properties.dealname === 'Listed');
    assert.ok(hit);
    assert.equal(hit.properties.amount, '1200.50');
});

test('a second contact with the same email gives 409 naming the first',
     {skip}, async () => {
    const api = h.client().crm.contacts.basicApi;
    const addr = email('Dup');
    const first = await api.create({properties: {email: addr}});
    const e = await rejects(api.create({properties: {
        email: addr.toLowerCase()}}), 409);
    assert.equal(e.body.category, 'CONFLICT');
    assert.equal(e.body.message, `Contact already exists. Existing ID: ${
        first.id}`);
});

test('missing record gives 404 OBJECT_NOT_FOUND', {skip}, async () => {
    const api = h.client().crm.contacts.basicApi;
    const e = await rejects(api.getById('999999999'), 404);
    assert.equal(e.body.category, 'OBJECT_NOT_FOUND');
});

test('invalid values are refused in HubSpot\'s envelope', {skip},
     async () => {
    const api = h.client().crm.deals.basicApi;
    const cases = [
        [{amount: '1,000'}, 'amount'],
        [{closedate: '2024-13-45'}, 'closedate'],
        [{no_such_property: 'x'}, 'no_such_property',
         'PROPERTY_DOESNT_EXIST'],
        [{hs_object_id: '5'}, 'hs_object_id'],
        [{dealstage: 'ClosedWon'}, 'dealstage', 'INVALID_OPTION'],
    ];
    for (const [properties, name, code] of cases) {
        const e = await rejects(api.create({properties}), 400);
        const entries = invalidValues(e.body);
        const entry = entries.find((x) => x.name === name);
        assert.ok(entry, `${name} is named in ${e.body.message}`);
        assert.equal(entry.isValid, false);
        if (code)
            assert.equal(entry.error, code);
    }
});

test('a date at midnight UTC in epoch ms is accepted, else INVALID_DATE',
     {skip: skip || pending('properties')}, async () => {
    const client = h.client();
    await client.crm.properties.coreApi.create('deals', {
        name: 'renewal_date', label: 'Renewal date', type: 'date',
        fieldType: 'date', groupName: 'dealinformation'});
    const api = client.crm.deals.basicApi;
    const ok = await api.create({properties: {dealname: 'Dated',
                                              renewal_date: '1430438400000'}});
    const read = await api.getById(ok.id, ['renewal_date']);
    assert.match(read.properties.renewal_date, /^2015-05-01/);
    await api.create({properties: {renewal_date: '2015-05-01'}});

    const e = await rejects(api.create({properties: {
        renewal_date: '1430438400001'}}), 400);
    const entries = invalidValues(e.body);
    assert.equal(entries[0].error, 'INVALID_DATE');
    assert.equal(entries[0].name, 'renewal_date');
});
