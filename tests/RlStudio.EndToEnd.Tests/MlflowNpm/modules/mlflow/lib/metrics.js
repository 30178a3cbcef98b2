"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const mlflow_1 = require("./mlflow");
class Metrics extends mlflow_1.MLflowBase {
    constructor(args) {
        super(args);
        this.path = '/metrics';
    }
    getHistory({ run_id, metric_key }) {
        return this.req('get', '/get-history', { run_id, run_uuid: run_id, metric_key });
    }
}
exports.default = Metrics;
