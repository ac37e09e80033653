'use strict';
// Properties v3 changes through the official client: coreApi.update
// (PATCH, options replaced whole), coreApi.archive (DELETE) and its
// restore by a create, HubSpot's own properties, and groupsApi.update and
// archive. Every body is checked against the client's models.

const assert = require('node:assert/strict');
const {test} = require('node:test');
const {setup, rejects} = require('../lib/harness');

const h = setup({features: ['properties']});

function option(label, value, displayOrder) {
    return {label, value, displayOrder, hidden: false};
}

async function createTier(api, name) {
    return api.create('contacts', {
        name, label: 'Tier', type: 'enumeration', fieldType: 'select',
        groupName: 'contactinformation', description: 'service level',
        options: [option('Gold', 'gold', 0), option('Silver', 'silver', 1)],
    });
}

test('update overwrites what it carries and keeps the rest', async () => {
    const api = h.client().crm.properties.coreApi;
    await createTier(api, 'tier_a');
    const updated = await api.update('contacts', 'tier_a', {
        label: 'Service tier', displayOrder: 3, formField: true});
    assert.equal(h.last().status, 200);
    assert.equal(updated.label, 'Service tier');
    assert.equal(updated.displayOrder, 3);
    assert.equal(updated.formField, true);
    assert.equal(updated.description, 'service level');
    assert.deepEqual(updated.options.map((o) => o.value), ['gold', 'silver']);

    const read = await api.getByName('contacts', 'tier_a');
    assert.equal(read.label, 'Service tier');
    assert.equal(read.groupName, 'contactinformation');
});

test('options sent replace the whole list, in the order sent', async () => {
    const api = h.client().crm.properties.coreApi;
    await createTier(api, 'tier_b');
    await api.update('contacts', 'tier_b', {options: [
        option('Silver', 'silver', 0), option('Bronze', 'bronze', 1)]});
    let read = await api.getByName('contacts', 'tier_b');
    assert.deepEqual(read.options.map((o) => o.value), ['silver', 'bronze']);

    // Adding one means sending the existing ones too.
    await api.update('contacts', 'tier_b', {options: [
        ...read.options, option('Platinum', 'platinum', 2)]});
    read = await api.getByName('contacts', 'tier_b');
    assert.deepEqual(read.options.map((o) => o.value),
                     ['silver', 'bronze', 'platinum']);
    assert.equal(read.options[2].label, 'Platinum');
    assert.equal(read.options[2].hidden, false);

    // A record may now hold the new value.
    const objects = h.client().crm.contacts.basicApi;
    const c = await objects.create({properties: {email: 'tier@example.com',
                                                 tier_b: 'platinum'}});
    assert.equal(c.properties.tier_b, 'platinum');
});

test('an unknown property gives 404 OBJECT_NOT_FOUND', async () => {
    const api = h.client().crm.properties.coreApi;
    const e = await rejects(api.update('contacts', 'no_such_prop',
                                       {label: 'x'}), 404);
    assert.equal(e.body.category, 'OBJECT_NOT_FOUND');
    await rejects(api.archive('deals', 'no_such_prop'), 404);
});

test('a type/fieldType pair HubSpot refuses gives 400', async () => {
    const api = h.client().crm.properties.coreApi;
    await createTier(api, 'tier_c');
    const e = await rejects(api.update('contacts', 'tier_c',
                                       {fieldType: 'text'}), 400);
    assert.equal(e.body.category, 'VALIDATION_ERROR');
    await rejects(api.update('contacts', 'tier_c', {groupName: 'nosuch'}),
                  400);
    const changed = await api.update('contacts', 'tier_c', {
        type: 'enumeration', fieldType: 'radio'});
    assert.equal(changed.fieldType, 'radio');
});

test('HubSpot-defined properties change their options only', async () => {
    const api = h.client().crm.properties.coreApi;
    const e = await rejects(api.update('contacts', 'lifecyclestage',
                                       {label: 'Stage'}), 400);
    assert.equal(e.body.category, 'VALIDATION_ERROR');
    const owner = await api.getByName('contacts', 'hubspot_owner_id');
    assert.equal(owner.modificationMetadata.readOnlyOptions, true);
    await rejects(api.update('contacts', 'hubspot_owner_id', {options: []}),
                  400);

    const status = await api.getByName('contacts', 'hs_lead_status');
    assert.equal(status.modificationMetadata.readOnlyOptions, false);
    const updated = await api.update('contacts', 'hs_lead_status', {
        options: [...status.options, option('Won back', 'WON_BACK', 99)]});
    assert.equal(updated.options.length, status.options.length + 1);
    assert.equal(updated.label, status.label);
    await rejects(api.archive('contacts', 'email'), 400);
});

test('archive answers 204 and a create of the name restores', async () => {
    const api = h.client().crm.properties.coreApi;
    const created = await createTier(api, 'tier_d');
    await api.archive('contacts', 'tier_d');
    assert.equal(h.last().status, 204);
    await rejects(api.getByName('contacts', 'tier_d'), 404);
    const gone = await api.getByName('contacts', 'tier_d', true);
    assert.equal(gone.archived, true);
    assert.ok(gone.archivedAt instanceof Date);
    const live = await api.getAll('contacts');
    assert.ok(!live.results.some((p) => p.name === 'tier_d'));
    const archived = await api.getAll('contacts', true);
    assert.ok(archived.results.some((p) => p.name === 'tier_d'));
    await rejects(api.archive('contacts', 'tier_d'), 404);

    // Records can no longer be written with it.
    const objects = h.client().crm.contacts.basicApi;
    const refused = await rejects(objects.create({properties: {
        tier_d: 'gold'}}), 400);
    assert.match(refused.body.message, /PROPERTY_DOESNT_EXIST/);

    const back = await createTier(api, 'tier_d');
    assert.equal(h.last().status, 201);
    assert.equal(back.archived, false);
    assert.equal(back.createdAt.getTime(), created.createdAt.getTime());
});

test('groups: update, and archive once no live property is in them',
     async () => {
    const groups = h.client().crm.properties.groupsApi;
    const props = h.client().crm.properties.coreApi;
    await groups.create('companies', {name: 'legacy', label: 'Legacy'});
    const g = await groups.update('companies', 'legacy', {
        label: 'Legacy CRM', displayOrder: 2});
    assert.equal(h.last().status, 200);
    assert.equal(g.label, 'Legacy CRM');
    assert.equal(g.displayOrder, 2);
    await rejects(groups.update('companies', 'nosuch', {label: 'x'}), 404);

    await props.create('companies', {name: 'legacy_code', label: 'Code',
                                     type: 'string', fieldType: 'text',
                                     groupName: 'legacy'});
    const e = await rejects(groups.archive('companies', 'legacy'), 400);
    assert.equal(e.body.category, 'VALIDATION_ERROR');
    await props.archive('companies', 'legacy_code');
    await groups.archive('companies', 'legacy');
    assert.equal(h.last().status, 204);
    await rejects(groups.getByName('companies', 'legacy'), 404);
    const all = await groups.getAll('companies');
    assert.ok(!all.results.some((x) => x.name === 'legacy'));
    await rejects(groups.archive('companies', 'legacy'), 404);
});
