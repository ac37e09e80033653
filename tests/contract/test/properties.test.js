'use strict';
// Properties v3: list, read, create, 409 on an existing name, the
// type/fieldType pairing, unique-value properties and groups.

const assert = require('node:assert/strict');
const {test} = require('node:test');
const {setup, rejects} = require('../lib/harness');
const {pending} = require('../lib/pending');

const h = setup({features: ['properties']});
const skip = pending('properties');

function custom(name, extra = {}) {
    return {name, label: `Label of ${name}`, type: 'string',
            fieldType: 'text', groupName: 'contactinformation', ...extra};
}

test('list returns HubSpot default properties per object', {skip},
     async () => {
    const api = h.client().crm.properties.coreApi;
    const want = {
        contacts: ['email', 'firstname', 'lastname', 'hs_object_id',
                   'createdate', 'lastmodifieddate'],
        companies: ['name', 'domain', 'hs_object_id'],
        deals: ['dealname', 'amount', 'pipeline', 'dealstage',
                'closedate', 'hs_object_id'],
    };
    for (const [type, names] of Object.entries(want)) {
        const res = await api.getAll(type);
        const have = new Set(res.results.map((p) => p.name));
        for (const n of names)
            assert.ok(have.has(n), `${type} lists ${n}`);
    }
});

test('read-only properties are marked as HubSpot marks them', {skip},
     async () => {
    const api = h.client().crm.properties.coreApi;
    const id = await api.getByName('contacts', 'hs_object_id');
    assert.equal(id.modificationMetadata.readOnlyValue, true);
    assert.equal(id.hubspotDefined, true);
    const email = await api.getByName('contacts', 'email');
    assert.equal(email.modificationMetadata.readOnlyValue, false);
    assert.equal(email.type, 'string');
});

test('create answers 201 with the property, then it reads back', {skip},
     async () => {
    const api = h.client().crm.properties.coreApi;
    const created = await api.create('contacts', custom('legacy_id', {
        description: 'id in the source CRM', hasUniqueValue: true}));
    assert.equal(h.last().status, 201);
    assert.match(h.last().headers.location || '',
                 /\/crm\/v3\/properties\/contacts\/legacy_id$/);
    assert.equal(created.name, 'legacy_id');
    assert.equal(created.hasUniqueValue, true);
    assert.equal(created.hubspotDefined ?? false, false);

    const read = await api.getByName('contacts', 'legacy_id');
    assert.equal(read.label, 'Label of legacy_id');
    assert.equal(read.groupName, 'contactinformation');
    const all = await api.getAll('contacts');
    assert.ok(all.results.some((p) => p.name === 'legacy_id'));
});

test('an enumeration keeps its options', {skip}, async () => {
    const api = h.client().crm.properties.coreApi;
    const options = [
        {label: 'Gold', value: 'gold', hidden: false, displayOrder: 0},
        {label: 'Silver', value: 'silver', hidden: false, displayOrder: 1},
    ];
    await api.create('companies', custom('tier_level', {
        type: 'enumeration', fieldType: 'select',
        groupName: 'companyinformation', options}));
    const read = await api.getByName('companies', 'tier_level');
    assert.deepEqual(read.options.map((o) => o.value).sort(),
                     ['gold', 'silver']);
});

test('creating an existing name gives 409', {skip}, async () => {
    const api = h.client().crm.properties.coreApi;
    await api.create('deals', custom('source_ref', {groupName:
                                                   'dealinformation'}));
    const e = await rejects(api.create('deals', custom('source_ref', {
        groupName: 'dealinformation'})), 409);
    assert.equal(e.body.status, 'error');
    await rejects(api.create('contacts', custom('email')), 409);
});

test('a type/fieldType pair HubSpot refuses gives 400', {skip}, async () => {
    const api = h.client().crm.properties.coreApi;
    for (const [type, fieldType] of [['number', 'text'], ['bool', 'select'],
                                     ['date', 'number']]) {
        const e = await rejects(api.create('contacts', custom(
            `bad_${type}`, {type, fieldType})), 400);
        assert.equal(e.body.category, 'VALIDATION_ERROR');
    }
    await rejects(api.getByName('contacts', 'bad_number'), 404);
});

test('an object has at most 10 unique-value properties', {skip},
     async () => {
    const api = h.client().crm.properties.coreApi;
    const all = await api.getAll('companies');
    const already = all.results.filter((p) => p.hasUniqueValue).length;
    for (let i = already; i < 10; i++)
        await api.create('companies', custom(`uniq_${i}`, {
            hasUniqueValue: true, groupName: 'companyinformation'}));
    // HubSpot documents the limit, not the status that enforces it.
    let error;
    try {
        await api.create('companies', custom('uniq_extra', {
            hasUniqueValue: true, groupName: 'companyinformation'}));
    } catch (err) {
        error = err;
    }
    assert.ok(error && error.code >= 400 && error.code < 500,
              `an 11th unique property is refused (got ${error && error.code})`);
    await rejects(api.getByName('companies', 'uniq_extra'), 404);
});

test('a missing property gives 404', {skip}, async () => {
    const api = h.client().crm.properties.coreApi;
    const e = await rejects(api.getByName('contacts', 'no_such_prop'), 404);
    assert.equal(e.body.status, 'error');
});

test('groups: list, create and read', {skip}, async () => {
    const api = h.client().crm.properties.groupsApi;
    const all = await api.getAll('contacts');
    assert.ok(all.results.some((g) => g.name === 'contactinformation'));

    const g = await api.create('contacts', {name: 'migration',
                                            label: 'Migration',
                                            displayOrder: 5});
    assert.equal(h.last().status, 201);
    assert.equal(g.name, 'migration');
    const read = await api.getByName('contacts', 'migration');
    assert.equal(read.label, 'Migration');
    assert.equal(read.archived, false);

    const props = h.client().crm.properties.coreApi;
    await props.create('contacts', custom('in_new_group',
                                          {groupName: 'migration'}));
    const p = await props.getByName('contacts', 'in_new_group');
    assert.equal(p.groupName, 'migration');
});

test('batch read answers with the named properties', {skip}, async () => {
    const api = h.client().crm.properties.batchApi;
    const res = await api.read('contacts', {
        archived: false, inputs: [{name: 'email'}, {name: 'firstname'}]});
    assert.deepEqual(res.results.map((p) => p.name).sort(),
                     ['email', 'firstname']);
    assert.equal(res.status, 'COMPLETE');
});
