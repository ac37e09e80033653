'use strict';
// Deal pipelines: the default pipeline with HubSpot's default stage ids,
// and one more from a seed file.

const assert = require('node:assert/strict');
const path = require('node:path');
const {test} = require('node:test');
const {setup, rejects} = require('../lib/harness');
const {pending} = require('../lib/pending');

const SEED = path.join(__dirname, '..', 'data', 'seed.json');
const h = setup({features: ['pipelines'], flags: ['--seed-file', SEED]});
const skip = pending('pipelines');

const DEFAULT_STAGES = ['appointmentscheduled', 'qualifiedtobuy',
                        'presentationscheduled', 'decisionmakerboughtin',
                        'contractsent', 'closedwon', 'closedlost'];

test('the default deal pipeline has HubSpot\'s default stage ids', {skip},
     async () => {
    const api = h.client().crm.pipelines.pipelinesApi;
    const all = await api.getAll('deals');
    const def = all.results.find((p) => p.id === 'default');
    assert.ok(def, 'a pipeline with id "default"');
    const stages = [...def.stages].sort((a, b) =>
        a.displayOrder - b.displayOrder);
    assert.deepEqual(stages.map((s) => s.id), DEFAULT_STAGES);
    const won = stages.find((s) => s.id === 'closedwon');
    assert.equal(won.metadata.isClosed, 'true');
    assert.equal(won.metadata.probability, '1.0');
    const first = stages[0];
    assert.equal(first.metadata.isClosed, 'false');
});

test('read one pipeline and its stages', {skip}, async () => {
    const client = h.client().crm.pipelines;
    const def = await client.pipelinesApi.getById('deals', 'default');
    assert.equal(def.id, 'default');
    assert.equal(def.archived, false);
    const stages = await client.pipelineStagesApi.getAll('deals', 'default');
    assert.equal(stages.results.length, DEFAULT_STAGES.length);
    const one = await client.pipelineStagesApi.getById('deals', 'default',
                                                       'contractsent');
    assert.equal(one.id, 'contractsent');
    await rejects(client.pipelinesApi.getById('deals', 'no-such'), 404);
});

test('a seeded pipeline is served with its stages', {skip}, async () => {
    const api = h.client().crm.pipelines.pipelinesApi;
    const p = await api.getById('deals', 'enterprise');
    assert.equal(p.label, 'Enterprise');
    assert.equal(p.displayOrder, 1);
    assert.equal(p.stages.length, 2);
    const lead = p.stages.find((s) => s.id === 'e-lead');
    assert.equal(lead.metadata.probability, '0.1');
    const won = p.stages.find((s) => s.label === 'Won');
    // A stage created without an id gets a numeric one, as in HubSpot.
    assert.match(won.id, /^\d+$/);
    assert.equal(won.metadata.isClosed, 'true');
    const all = await api.getAll('deals');
    assert.deepEqual(all.results.map((x) => x.id).sort(),
                     ['default', 'enterprise']);
});

test('deals accept the default stage ids and refuse others',
     {skip: skip || pending('objects')},
     async () => {
    const api = h.client().crm.deals.basicApi;
    const d = await api.create({properties: {dealname: 'Staged',
                                             pipeline: 'default',
                                             dealstage: 'contractsent'}});
    assert.equal(d.properties.dealstage, 'contractsent');
    const e = await rejects(api.create({properties: {
        dealname: 'Bad stage', pipeline: 'default',
        dealstage: 'Contract Sent'}}), 400);
    assert.equal(e.body.category, 'VALIDATION_ERROR');
});
