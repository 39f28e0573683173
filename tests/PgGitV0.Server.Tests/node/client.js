// An independent client of the pggit_v0 gRPC API, loading protos/ at run time (no generated code).
// usage: node client.js <host:port> <api key> <protos dir> <events to read from the stream>
// Prints one JSON document with what each call returned; NodeClientTests checks it.
'use strict';
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const [address, apiKey, protoRoot, eventCount] = process.argv.slice(2);
const definition = protoLoader.loadSync(
  ['history.proto', 'branching.proto', 'merging.proto', 'monitoring.proto'].map((f) => path.join(protoRoot, 'pggit', 'v0', f)),
  { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [protoRoot] });
const pggit = grpc.loadPackageDefinition(definition).pggit.v0;

const credentials = grpc.credentials.createInsecure();
const history = new pggit.HistoryService(address, credentials);
const branches = new pggit.BranchService(address, credentials);
const monitoring = new pggit.MonitoringService(address, credentials);
const merging = new pggit.MergeService(address, credentials);
const metadata = new grpc.Metadata();
metadata.add('authorization', `Bearer ${apiKey}`);

const unary = (client, method, request) => new Promise((resolve, reject) => {
  client[method](request, metadata, { deadline: Date.now() + 10000 }, (error, response) => (error ? reject(error) : resolve(response)));
});

async function main() {
  const result = {};
  result.branches = (await unary(branches, 'ListBranches', {})).branches.map((b) => ({ name: b.name, checked_out: b.checked_out }));

  result.commits = [];
  let page_token = '';
  do {
    const page = await unary(history, 'ListCommits', { branch: 'feature', page_size: 2, page_token });
    result.commits.push(...page.commits.map((c) => c.sha));
    page_token = page.next_page_token;
  } while (page_token !== '');

  const tip = await unary(history, 'GetCommit', { ref: 'feature' });
  result.tip = { sha: tip.sha, author: tip.author, message: tip.message, committed_at_seconds: tip.committed_at.seconds };

  const object = await unary(history, 'GetObject', { ref: 'feature', schema_name: 'public', object_name: 'orders' });
  result.object = { path: object.object.path, object_type: object.object.object_type, definition: object.definition };

  result.predicted_conflicts = (await unary(merging, 'DetectConflicts', { source_branch: 'feature', target_branch: 'main' })).conflicts;

  try {
    await unary(history, 'GetCommit', { ref: 'no-such-branch' });
    result.error = null;
  } catch (error) {
    result.error = { code: error.code, details: error.details, has_status_details: error.metadata.get('grpc-status-details-bin').length > 0 };
  }

  result.events = await new Promise((resolve, reject) => {
    const events = [];
    const call = monitoring.StreamActivity({ after_id: 0 }, metadata);
    call.on('data', (event) => {
      events.push({ id: event.id, kind: event.kind, ref_name: event.ref_name, actor: event.actor, message: event.details.fields.message?.stringValue ?? null });
      if (events.length === Number(eventCount)) {
        call.cancel();
        resolve(events);
      }
    });
    call.on('error', (error) => (error.code === grpc.status.CANCELLED ? resolve(events) : reject(error)));
  });

  process.stdout.write(JSON.stringify(result));
}

main().then(() => process.exit(0), (error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
