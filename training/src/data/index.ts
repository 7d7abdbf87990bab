export type { TweetRecord } from './tweet-record.js';
export { parseTweetJsonl, formatLineProblem, type LineProblem } from './tweet-jsonl.js';
export { cleanTweet, DEFAULT_CLEAN_OPTIONS, type CleanOptions, type CleanResult } from './clean-tweet.js';
export { prepareDataset, trainingText, splitTrainingText, type DatasetSummary, type PreparedDataset, type PrepareOptions } from './prepare-dataset.js';
export { writeDataset } from './write-dataset.js';
export { importArchive, type ArchiveImport } from './archive-import.js';
export { fetchTimeline, XFetchError, X_TIMELINE_CAP, type FetchEvent, type FetchSummary } from './fetch-timeline.js';
export { createXClient, type XTimelineApi } from './x-client.js';
