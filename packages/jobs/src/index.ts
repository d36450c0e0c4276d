export { type PeriodicJob, type PeriodicJobOptions, startPeriodicJob } from "./periodic-job.ts";
