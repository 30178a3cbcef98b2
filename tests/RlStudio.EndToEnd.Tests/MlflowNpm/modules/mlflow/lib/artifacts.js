"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const mlflow_1 = require("./mlflow");
class Artifacts extends mlflow_1.MLflowBase {
    constructor(args) {
        super(args);
        this.path = '/artifacts';
    }
    list({ run_id, path }) {
        return this.req('get', '/list', { run_id, run_uuid: run_id, path });
    }
}
exports.default = Artifacts;
