'use strict';
// Merge for contacts, companies and deals: the survivor keeps the merged
// record's associations, hs_merged_object_ids names the merged-away id,
// and that id afterwards resolves to the survivor.

const assert = require('node:assert/strict');
const {test} = require('node:test');
const {setup, rejects} = require('../lib/harness');
const {pending} = require('../lib/pending');

const h = setup({features: ['merge']});
const skip = pending('merge');

let serial = 0;

function mergedIds(record) {
    return (record.properties.hs_merged_object_ids || '').split(';')
        .filter(Boolean);
}

test('contacts: survivor keeps links, merged id resolves to it',
     {skip: skip || pending('associations')},
     async () => {
    const client = h.client();
    serial += 1;
    const keep = await client.crm.contacts.basicApi.create({properties: {
        email: `keep${serial}@example.com`, firstname: 'Keep'}});
    const gone = await client.crm.contacts.basicApi.create({properties: {
        email: `gone${serial}@example.com`, lastname: 'Gone'}});
    const company = await client.crm.companies.basicApi.create({
        properties: {name: 'Linked to the merged contact'}});
    await client.crm.associations.v4.batchApi.create('contacts', 'companies',
        {inputs: [{_from: {id: gone.id}, to: {id: company.id},
                   types: [{associationCategory: 'HUBSPOT_DEFINED',
                            associationTypeId: 279}]}]});

    const survivor = await client.crm.contacts.basicApi.merge({
        primaryObjectId: keep.id, objectIdToMerge: gone.id});
    assert.equal(h.last().status, 200);
    // HubSpot may mint a new id for the survivor: read it from the answer.
    const read = await client.crm.contacts.basicApi.getById(
        survivor.id, ['hs_merged_object_ids', 'firstname'], undefined,
        ['companies']);
    assert.ok(mergedIds(read).includes(gone.id),
              `hs_merged_object_ids lists ${gone.id}`);
    assert.equal(read.properties.firstname, 'Keep');
    const linked = read.associations?.companies?.results.map((r) => r.id);
    assert.ok(linked && linked.includes(company.id),
              'the survivor has the merged contact\'s company');

    const viaOld = await client.crm.contacts.basicApi.getById(gone.id);
    assert.equal(viaOld.id, survivor.id);
});

test('companies and deals merge too', {skip}, async () => {
    const client = h.client();
    for (const type of ['companies', 'deals']) {
        const api = client.crm[type].basicApi;
        const name = type === 'deals' ? 'dealname' : 'name';
        const a = await api.create({properties: {[name]: `${type} A`}});
        const b = await api.create({properties: {[name]: `${type} B`}});
        const s = await api.merge({primaryObjectId: a.id,
                                   objectIdToMerge: b.id});
        const read = await api.getById(s.id, ['hs_merged_object_ids']);
        assert.ok(mergedIds(read).includes(b.id), type);
        assert.equal((await api.getById(b.id)).id, s.id);
    }
});

test('merging a missing record fails', {skip}, async () => {
    const api = h.client().crm.contacts.basicApi;
    const c = await api.create({properties: {email: 'lonely@example.com'}});
    let error;
    try {
        await api.merge({primaryObjectId: c.id,
                         objectIdToMerge: '987654321'});
    } catch (err) {
        error = err;
    }
    assert.ok(error && error.code >= 400 && error.code < 500,
              `refused with a 4xx (got ${error && error.code})`);
    await rejects(api.getById('987654321'), 404);
});
