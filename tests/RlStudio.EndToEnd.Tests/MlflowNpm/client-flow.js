// Drives RL Studio's MLflow-compatible API with the npm MLflow client (modules/mlflow): create an experiment and a run,
// log a batch of metrics and a param, read the history back, finish the run. Prints "RESULT {json}" on success.
// Usage: NODE_PATH=modules node client-flow.js <endpoint> <key> <experiment name>
const MLflow = require('mlflow');
const [endpoint, key, experimentName] = process.argv.slice(2);
const client = new MLflow({ endpoint, headers: { Authorization: `Bearer ${key}` } });

(async () => {
  const { experiment_id } = await client.Experiments.create({ name: experimentName });
  const { run } = await client.Runs.create({ experiment_id, start_time: Date.now(), tags: [{ key: 'mlflow.runName', value: 'npm-client' }] });
  const run_id = run.info.run_id;
  const now = Date.now();
  await client.Runs.logBatch({
    run_id,
    metrics: [1, 2, 3].map(step => ({ key: 'reward', value: step / 10, timestamp: now + step, step })),
    params: [{ key: 'lr', value: '0.001' }],
    tags: [],
  });
  const history = await client.Metrics.getHistory({ run_id, metric_key: 'reward' });
  await client.Runs.update({ run_id, status: 'FINISHED', end_time: Date.now() });
  const fetched = await client.Runs.get({ run_id });
  process.stdout.write('RESULT ' + JSON.stringify({ experiment_id, run_id, history, status: fetched.run.info.status }) + '\n');
})().catch(error => {
  console.error(error);
  process.exit(1);
});
