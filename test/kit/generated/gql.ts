/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query AnalyticsApiCountries($from: IsoWeek!, $to: IsoWeek!) { countryAnalytics(from: $from, to: $to) {\n  country activeUsers weeks { week reportsSubmitted suppressed averageStress highStressReports hires incidents } } }": typeof types.AnalyticsApiCountriesDocument,
    "query AnalyticsApiStressAlerts($week: IsoWeek!) { stressAlerts(week: $week, first: 100) { totalCount edges { node { id name } } } }": typeof types.AnalyticsApiStressAlertsDocument,
    "query DashboardStatsApi($week: IsoWeek!, $filter: DashboardFilter) { dashboardStats(week: $week, filter: $filter) {\n  week previousWeek\n  current { reportsSubmitted activeUsers submissionRate suppressed averageStress stressDistribution averageWorkdays hr { hires } ops { incidents } }\n  previous { reportsSubmitted }\n  change { reportsSubmitted averageStress hires }\n  byCountry { key figures { reportsSubmitted } } byCity { key figures { reportsSubmitted } } byRole { key figures { activeUsers } } } }": typeof types.DashboardStatsApiDocument,
    "mutation MutationsSubmitReport($input: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $input) {\n  report { id week workdays stressLevel highlights blockers hrMetrics { hires } opsMetrics { incidents } user { id } } } }": typeof types.MutationsSubmitReportDocument,
    "mutation MutationsCreateSchedule($input: CreateWorkScheduleInput!) { createWorkSchedule(input: $input) { workSchedule { id date startsAt endsAt remote user { id } } } }": typeof types.MutationsCreateScheduleDocument,
    "mutation MutationsUpdateSchedule($input: UpdateWorkScheduleInput!) { updateWorkSchedule(input: $input) { workSchedule { id remote endsAt } } }": typeof types.MutationsUpdateScheduleDocument,
    "mutation MutationsDeleteSchedule($input: DeleteWorkScheduleInput!) { deleteWorkSchedule(input: $input) { deletedId } }": typeof types.MutationsDeleteScheduleDocument,
    "mutation MutationsCreateMeeting($input: CreateTeamMeetingInput!) { createTeamMeeting(input: $input) {\n    teamMeeting { id title organizer { id } attendees(first: 20) { totalCount edges { node { id } } } } } }": typeof types.MutationsCreateMeetingDocument,
    "mutation MutationsAttendMeeting($input: UpdateTeamMeetingAttendanceInput!) { updateTeamMeetingAttendance(input: $input) {\n    teamMeeting { attendees(first: 20) { totalCount edges { node { id } } } } } }": typeof types.MutationsAttendMeetingDocument,
};
const documents: Documents = {
    "query AnalyticsApiCountries($from: IsoWeek!, $to: IsoWeek!) { countryAnalytics(from: $from, to: $to) {\n  country activeUsers weeks { week reportsSubmitted suppressed averageStress highStressReports hires incidents } } }": types.AnalyticsApiCountriesDocument,
    "query AnalyticsApiStressAlerts($week: IsoWeek!) { stressAlerts(week: $week, first: 100) { totalCount edges { node { id name } } } }": types.AnalyticsApiStressAlertsDocument,
    "query DashboardStatsApi($week: IsoWeek!, $filter: DashboardFilter) { dashboardStats(week: $week, filter: $filter) {\n  week previousWeek\n  current { reportsSubmitted activeUsers submissionRate suppressed averageStress stressDistribution averageWorkdays hr { hires } ops { incidents } }\n  previous { reportsSubmitted }\n  change { reportsSubmitted averageStress hires }\n  byCountry { key figures { reportsSubmitted } } byCity { key figures { reportsSubmitted } } byRole { key figures { activeUsers } } } }": types.DashboardStatsApiDocument,
    "mutation MutationsSubmitReport($input: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $input) {\n  report { id week workdays stressLevel highlights blockers hrMetrics { hires } opsMetrics { incidents } user { id } } } }": types.MutationsSubmitReportDocument,
    "mutation MutationsCreateSchedule($input: CreateWorkScheduleInput!) { createWorkSchedule(input: $input) { workSchedule { id date startsAt endsAt remote user { id } } } }": types.MutationsCreateScheduleDocument,
    "mutation MutationsUpdateSchedule($input: UpdateWorkScheduleInput!) { updateWorkSchedule(input: $input) { workSchedule { id remote endsAt } } }": types.MutationsUpdateScheduleDocument,
    "mutation MutationsDeleteSchedule($input: DeleteWorkScheduleInput!) { deleteWorkSchedule(input: $input) { deletedId } }": types.MutationsDeleteScheduleDocument,
    "mutation MutationsCreateMeeting($input: CreateTeamMeetingInput!) { createTeamMeeting(input: $input) {\n    teamMeeting { id title organizer { id } attendees(first: 20) { totalCount edges { node { id } } } } } }": types.MutationsCreateMeetingDocument,
    "mutation MutationsAttendMeeting($input: UpdateTeamMeetingAttendanceInput!) { updateTeamMeetingAttendance(input: $input) {\n    teamMeeting { attendees(first: 20) { totalCount edges { node { id } } } } } }": types.MutationsAttendMeetingDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AnalyticsApiCountries($from: IsoWeek!, $to: IsoWeek!) { countryAnalytics(from: $from, to: $to) {\n  country activeUsers weeks { week reportsSubmitted suppressed averageStress highStressReports hires incidents } } }"): (typeof documents)["query AnalyticsApiCountries($from: IsoWeek!, $to: IsoWeek!) { countryAnalytics(from: $from, to: $to) {\n  country activeUsers weeks { week reportsSubmitted suppressed averageStress highStressReports hires incidents } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AnalyticsApiStressAlerts($week: IsoWeek!) { stressAlerts(week: $week, first: 100) { totalCount edges { node { id name } } } }"): (typeof documents)["query AnalyticsApiStressAlerts($week: IsoWeek!) { stressAlerts(week: $week, first: 100) { totalCount edges { node { id name } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DashboardStatsApi($week: IsoWeek!, $filter: DashboardFilter) { dashboardStats(week: $week, filter: $filter) {\n  week previousWeek\n  current { reportsSubmitted activeUsers submissionRate suppressed averageStress stressDistribution averageWorkdays hr { hires } ops { incidents } }\n  previous { reportsSubmitted }\n  change { reportsSubmitted averageStress hires }\n  byCountry { key figures { reportsSubmitted } } byCity { key figures { reportsSubmitted } } byRole { key figures { activeUsers } } } }"): (typeof documents)["query DashboardStatsApi($week: IsoWeek!, $filter: DashboardFilter) { dashboardStats(week: $week, filter: $filter) {\n  week previousWeek\n  current { reportsSubmitted activeUsers submissionRate suppressed averageStress stressDistribution averageWorkdays hr { hires } ops { incidents } }\n  previous { reportsSubmitted }\n  change { reportsSubmitted averageStress hires }\n  byCountry { key figures { reportsSubmitted } } byCity { key figures { reportsSubmitted } } byRole { key figures { activeUsers } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation MutationsSubmitReport($input: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $input) {\n  report { id week workdays stressLevel highlights blockers hrMetrics { hires } opsMetrics { incidents } user { id } } } }"): (typeof documents)["mutation MutationsSubmitReport($input: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $input) {\n  report { id week workdays stressLevel highlights blockers hrMetrics { hires } opsMetrics { incidents } user { id } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation MutationsCreateSchedule($input: CreateWorkScheduleInput!) { createWorkSchedule(input: $input) { workSchedule { id date startsAt endsAt remote user { id } } } }"): (typeof documents)["mutation MutationsCreateSchedule($input: CreateWorkScheduleInput!) { createWorkSchedule(input: $input) { workSchedule { id date startsAt endsAt remote user { id } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation MutationsUpdateSchedule($input: UpdateWorkScheduleInput!) { updateWorkSchedule(input: $input) { workSchedule { id remote endsAt } } }"): (typeof documents)["mutation MutationsUpdateSchedule($input: UpdateWorkScheduleInput!) { updateWorkSchedule(input: $input) { workSchedule { id remote endsAt } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation MutationsDeleteSchedule($input: DeleteWorkScheduleInput!) { deleteWorkSchedule(input: $input) { deletedId } }"): (typeof documents)["mutation MutationsDeleteSchedule($input: DeleteWorkScheduleInput!) { deleteWorkSchedule(input: $input) { deletedId } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation MutationsCreateMeeting($input: CreateTeamMeetingInput!) { createTeamMeeting(input: $input) {\n    teamMeeting { id title organizer { id } attendees(first: 20) { totalCount edges { node { id } } } } } }"): (typeof documents)["mutation MutationsCreateMeeting($input: CreateTeamMeetingInput!) { createTeamMeeting(input: $input) {\n    teamMeeting { id title organizer { id } attendees(first: 20) { totalCount edges { node { id } } } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation MutationsAttendMeeting($input: UpdateTeamMeetingAttendanceInput!) { updateTeamMeetingAttendance(input: $input) {\n    teamMeeting { attendees(first: 20) { totalCount edges { node { id } } } } } }"): (typeof documents)["mutation MutationsAttendMeeting($input: UpdateTeamMeetingAttendanceInput!) { updateTeamMeetingAttendance(input: $input) {\n    teamMeeting { attendees(first: 20) { totalCount edges { node { id } } } } } }"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;