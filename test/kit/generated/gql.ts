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
    "mutation BadInputSubmitReport($input: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $input) { report { highlights } } }": typeof types.BadInputSubmitReportDocument,
    "query BatchingMe { me { name } }": typeof types.BatchingMeDocument,
    "query BatchingUserCount { users(first: 1) { totalCount } }": typeof types.BatchingUserCountDocument,
    "query BatchingTypename { __typename }": typeof types.BatchingTypenameDocument,
    "query BatchingMeBesideTooMuch { me { name } }": typeof types.BatchingMeBesideTooMuchDocument,
    "query QueryCostNodes($ids: [ID!]!) { nodes(ids: $ids) { id } }": typeof types.QueryCostNodesDocument,
    "query AnalyticsApiCountries($from: IsoWeek!, $to: IsoWeek!) { countryAnalytics(from: $from, to: $to) {\n  country activeUsers weeks { week reportsSubmitted suppressed averageStress highStressReports hires incidents } } }": typeof types.AnalyticsApiCountriesDocument,
    "query AnalyticsApiStressAlerts($week: IsoWeek!) { stressAlerts(week: $week, first: 100) { totalCount edges { node { id name } } } }": typeof types.AnalyticsApiStressAlertsDocument,
    "query DashboardStatsApi($week: IsoWeek!, $filter: DashboardFilter) { dashboardStats(week: $week, filter: $filter) {\n  week previousWeek\n  current { reportsSubmitted activeUsers submissionRate suppressed averageStress stressDistribution averageWorkdays hr { hires } ops { incidents } }\n  previous { reportsSubmitted }\n  change { reportsSubmitted averageStress hires }\n  byCountry { key figures { reportsSubmitted } } byCity { key figures { reportsSubmitted } } byRole { key figures { activeUsers } } } }": typeof types.DashboardStatsApiDocument,
    "query ExportLink($f: ExportFilter) { exportUrl(filter: $f) }": typeof types.ExportLinkDocument,
    "query PrivacyCityOfOne($week: IsoWeek!, $filter: DashboardFilter) { dashboardStats(week: $week, filter: $filter) {\n      current { reportsSubmitted averageStress }\n      previous { reportsSubmitted averageStress averageWorkdays stressDistribution hr { hires } ops { incidents } }\n      change { averageStress averageWorkdays hires }\n      byRole { key figures { reportsSubmitted averageStress averageWorkdays stressDistribution hr { hires } ops { incidents } } } } }": typeof types.PrivacyCityOfOneDocument,
    "query PrivacyCountrySeries($from: IsoWeek!, $to: IsoWeek!) { countryAnalytics(from: $from, to: $to) { country weeks {\n      week reportsSubmitted suppressed averageStress averageWorkdays highStressReports hires attritions incidents slaBreaches } } }": typeof types.PrivacyCountrySeriesDocument,
    "query AuthenticationUserCount { users(first: 1) { totalCount } }": typeof types.AuthenticationUserCountDocument,
    "query AuthenticationReportCount { weeklyReports(first: 1) { totalCount } }": typeof types.AuthenticationReportCountDocument,
    "query ErrorsWeek53 { weeklyReports(filter: { weekFrom: \"2026-W53\" }) { totalCount } }": typeof types.ErrorsWeek53Document,
    "query ErrorsMissingNode($id: ID!) { node(id: $id) { id } }": typeof types.ErrorsMissingNodeDocument,
    "query ErrorsMixedNodes($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on User { email } ... on TeamMeeting { title } } }": typeof types.ErrorsMixedNodesDocument,
    "mutation IdempotencyFailuresCreateMeeting($input: CreateTeamMeetingInput!) { createTeamMeeting(input: $input) { teamMeeting { id title } } }": typeof types.IdempotencyFailuresCreateMeetingDocument,
    "mutation IdempotencyCreateMeeting($input: CreateTeamMeetingInput!) { createTeamMeeting(input: $input) { teamMeeting { id title } } }": typeof types.IdempotencyCreateMeetingDocument,
    "mutation MutationsSubmitReport($input: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $input) {\n  report { id week workdays stressLevel highlights blockers hrMetrics { hires } opsMetrics { incidents } user { id } } } }": typeof types.MutationsSubmitReportDocument,
    "mutation MutationsCreateSchedule($input: CreateWorkScheduleInput!) { createWorkSchedule(input: $input) { workSchedule { id date startsAt endsAt remote user { id } } } }": typeof types.MutationsCreateScheduleDocument,
    "mutation MutationsUpdateSchedule($input: UpdateWorkScheduleInput!) { updateWorkSchedule(input: $input) { workSchedule { id remote endsAt } } }": typeof types.MutationsUpdateScheduleDocument,
    "mutation MutationsDeleteSchedule($input: DeleteWorkScheduleInput!) { deleteWorkSchedule(input: $input) { deletedId } }": typeof types.MutationsDeleteScheduleDocument,
    "mutation MutationsCreateMeeting($input: CreateTeamMeetingInput!) { createTeamMeeting(input: $input) {\n    teamMeeting { id title organizer { id } attendees(first: 20) { totalCount edges { node { id } } } } } }": typeof types.MutationsCreateMeetingDocument,
    "mutation MutationsAttendMeeting($input: UpdateTeamMeetingAttendanceInput!) { updateTeamMeetingAttendance(input: $input) {\n    teamMeeting { attendees(first: 20) { totalCount edges { node { id } } } } } }": typeof types.MutationsAttendMeetingDocument,
    "query PaginationFirstZero { users(first: 0) { edges { cursor } pageInfo { hasNextPage } } }": typeof types.PaginationFirstZeroDocument,
    "query PaginationDefaultSize { users { edges { cursor } pageInfo { hasNextPage } } }": typeof types.PaginationDefaultSizeDocument,
    "query PaginationUserPages($id: ID!, $after: String) { node(id: $id) { ... on User {\n      reports(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id week } } }\n      workSchedules(first: 5) { totalCount edges { node { date startsAt endsAt remote } } }\n      directReports(first: 100) { totalCount edges { node { id } } }\n    } } }": typeof types.PaginationUserPagesDocument,
    "query PaginationMeetingAttendees { teamMeetings(first: 1) { edges { node { organizer { id } attendees(first: 4) { totalCount edges { node { id } } } } } } }": typeof types.PaginationMeetingAttendeesDocument,
    "query PaginationApproximateCounts {\n      all: users(first: 1) { approx: totalCount(approximate: true) exact: totalCount }\n      paris: users(first: 1, filter: { city: \"Paris\" }) { approx: totalCount(approximate: true) exact: totalCount } }": typeof types.PaginationApproximateCountsDocument,
    "query PaginationOwnApproximateCount { weeklyReports(first: 1) { approx: totalCount(approximate: true) exact: totalCount } }": typeof types.PaginationOwnApproximateCountDocument,
    "query ProjectionNestedReports($n: Int!) { users(first: $n) { edges { node { name\n    reports(first: 4) { edges { node { week hrMetrics { hires } } } } } } } }": typeof types.ProjectionNestedReportsDocument,
    "query ProjectionLatestReports($n: Int!) { users(first: $n) { edges { node { latestReport { week stressLevel } } } } }": typeof types.ProjectionLatestReportsDocument,
    "query ProjectionPreviousReports($n: Int!) { weeklyReports(first: $n) { edges { node { week user { id } previous { week stressLevel } } } } }": typeof types.ProjectionPreviousReportsDocument,
    "query ProjectionFirstPage { users(first: 10) { pageInfo { endCursor } } }": typeof types.ProjectionFirstPageDocument,
    "query IdorUsersPrivate { users(first: 100) { totalCount edges { node { id email latestReport { id }\n        reports(first: 100) { totalCount edges { node { id } } }\n        workSchedules(first: 100) { totalCount edges { node { id } } }\n        directReports(first: 100) { totalCount edges { node { id } } } } } } }": typeof types.IdorUsersPrivateDocument,
    "query IdorReportsOfUser($u: ID!) { weeklyReports(first: 10, filter: { userId: $u }) {\n      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id } } } }": typeof types.IdorReportsOfUserDocument,
    "query IdorOwnReports { weeklyReports(first: 100) { totalCount edges { node { user { id } } } } }": typeof types.IdorOwnReportsDocument,
    "query IdorDirectReports($id: ID!) { node(id: $id) { ... on User {\n      directReports(first: 100) { totalCount edges { node { email reports { totalCount } workSchedules { totalCount } } } } } } }": typeof types.IdorDirectReportsDocument,
    "query IdorPreviousReports { weeklyReports(first: 100) { edges { node { user { id } previous { user { id } } } } } }": typeof types.IdorPreviousReportsDocument,
    "query IdorCreatedAtOrder { users(first: 100, orderBy: { field: CREATED_AT }) { edges { cursor node { id } } } }": typeof types.IdorCreatedAtOrderDocument,
    "query IdorDemoted($me: ID!, $u: ID!, $r: ID!, $s: ID!) {\n      weeklyReports(filter: { userId: $u }) { totalCount }\n      user: node(id: $u) { ... on User { email manager { id } latestReport { id } reports { totalCount } workSchedules { totalCount } } }\n      report: node(id: $r) { id }\n      schedule: node(id: $s) { id }\n      me: node(id: $me) { ... on User { reports { totalCount } directReports(first: 100) { edges { node { email reports { totalCount } } } } } } }": typeof types.IdorDemotedDocument,
    "query IdorReportCount { weeklyReports { totalCount } }": typeof types.IdorReportCountDocument,
    "query TokenKindsExportUrl { exportUrl }": typeof types.TokenKindsExportUrlDocument,
    "query ResponseCacheMe { me { id email reports(first: 10) { totalCount } } }": typeof types.ResponseCacheMeDocument,
    "mutation GenerateWeeklyReportRun($week: IsoWeek, $force: Boolean) { generateWeeklyReport(week: $week, force: $force) {\n  summary { id week status version attempts lastError summary summarySource model delivery { status telegramMessageIds } } } }": typeof types.GenerateWeeklyReportRunDocument,
    "query GenerateWeeklyReportSummary($week: IsoWeek!) { weeklySummary(week: $week) {\n  id status version attempts lastError summary summarySource model delivery { status telegramMessageIds }\n  stats { week reportsSubmitted activeUsers averageStress hr { hires } ops { incidents } } } }": typeof types.GenerateWeeklyReportSummaryDocument,
    "mutation ProcessesGenerate($week: IsoWeek) { generateWeeklyReport(week: $week) { summary { id week status } } }": typeof types.ProcessesGenerateDocument,
    "query StartUserCount { users(first: 1) { totalCount } }": typeof types.StartUserCountDocument,
    "query StartUserNames { users(first: 1) { totalCount edges { node { name } } } }": typeof types.StartUserNamesDocument,
    "query StartReportCount { weeklyReports(first: 1) { totalCount } }": typeof types.StartReportCountDocument,
    "query StartUserCountries { users { edges { node { name country } } } }": typeof types.StartUserCountriesDocument,
};
const documents: Documents = {
    "mutation BadInputSubmitReport($input: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $input) { report { highlights } } }": types.BadInputSubmitReportDocument,
    "query BatchingMe { me { name } }": types.BatchingMeDocument,
    "query BatchingUserCount { users(first: 1) { totalCount } }": types.BatchingUserCountDocument,
    "query BatchingTypename { __typename }": types.BatchingTypenameDocument,
    "query BatchingMeBesideTooMuch { me { name } }": types.BatchingMeBesideTooMuchDocument,
    "query QueryCostNodes($ids: [ID!]!) { nodes(ids: $ids) { id } }": types.QueryCostNodesDocument,
    "query AnalyticsApiCountries($from: IsoWeek!, $to: IsoWeek!) { countryAnalytics(from: $from, to: $to) {\n  country activeUsers weeks { week reportsSubmitted suppressed averageStress highStressReports hires incidents } } }": types.AnalyticsApiCountriesDocument,
    "query AnalyticsApiStressAlerts($week: IsoWeek!) { stressAlerts(week: $week, first: 100) { totalCount edges { node { id name } } } }": types.AnalyticsApiStressAlertsDocument,
    "query DashboardStatsApi($week: IsoWeek!, $filter: DashboardFilter) { dashboardStats(week: $week, filter: $filter) {\n  week previousWeek\n  current { reportsSubmitted activeUsers submissionRate suppressed averageStress stressDistribution averageWorkdays hr { hires } ops { incidents } }\n  previous { reportsSubmitted }\n  change { reportsSubmitted averageStress hires }\n  byCountry { key figures { reportsSubmitted } } byCity { key figures { reportsSubmitted } } byRole { key figures { activeUsers } } } }": types.DashboardStatsApiDocument,
    "query ExportLink($f: ExportFilter) { exportUrl(filter: $f) }": types.ExportLinkDocument,
    "query PrivacyCityOfOne($week: IsoWeek!, $filter: DashboardFilter) { dashboardStats(week: $week, filter: $filter) {\n      current { reportsSubmitted averageStress }\n      previous { reportsSubmitted averageStress averageWorkdays stressDistribution hr { hires } ops { incidents } }\n      change { averageStress averageWorkdays hires }\n      byRole { key figures { reportsSubmitted averageStress averageWorkdays stressDistribution hr { hires } ops { incidents } } } } }": types.PrivacyCityOfOneDocument,
    "query PrivacyCountrySeries($from: IsoWeek!, $to: IsoWeek!) { countryAnalytics(from: $from, to: $to) { country weeks {\n      week reportsSubmitted suppressed averageStress averageWorkdays highStressReports hires attritions incidents slaBreaches } } }": types.PrivacyCountrySeriesDocument,
    "query AuthenticationUserCount { users(first: 1) { totalCount } }": types.AuthenticationUserCountDocument,
    "query AuthenticationReportCount { weeklyReports(first: 1) { totalCount } }": types.AuthenticationReportCountDocument,
    "query ErrorsWeek53 { weeklyReports(filter: { weekFrom: \"2026-W53\" }) { totalCount } }": types.ErrorsWeek53Document,
    "query ErrorsMissingNode($id: ID!) { node(id: $id) { id } }": types.ErrorsMissingNodeDocument,
    "query ErrorsMixedNodes($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on User { email } ... on TeamMeeting { title } } }": types.ErrorsMixedNodesDocument,
    "mutation IdempotencyFailuresCreateMeeting($input: CreateTeamMeetingInput!) { createTeamMeeting(input: $input) { teamMeeting { id title } } }": types.IdempotencyFailuresCreateMeetingDocument,
    "mutation IdempotencyCreateMeeting($input: CreateTeamMeetingInput!) { createTeamMeeting(input: $input) { teamMeeting { id title } } }": types.IdempotencyCreateMeetingDocument,
    "mutation MutationsSubmitReport($input: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $input) {\n  report { id week workdays stressLevel highlights blockers hrMetrics { hires } opsMetrics { incidents } user { id } } } }": types.MutationsSubmitReportDocument,
    "mutation MutationsCreateSchedule($input: CreateWorkScheduleInput!) { createWorkSchedule(input: $input) { workSchedule { id date startsAt endsAt remote user { id } } } }": types.MutationsCreateScheduleDocument,
    "mutation MutationsUpdateSchedule($input: UpdateWorkScheduleInput!) { updateWorkSchedule(input: $input) { workSchedule { id remote endsAt } } }": types.MutationsUpdateScheduleDocument,
    "mutation MutationsDeleteSchedule($input: DeleteWorkScheduleInput!) { deleteWorkSchedule(input: $input) { deletedId } }": types.MutationsDeleteScheduleDocument,
    "mutation MutationsCreateMeeting($input: CreateTeamMeetingInput!) { createTeamMeeting(input: $input) {\n    teamMeeting { id title organizer { id } attendees(first: 20) { totalCount edges { node { id } } } } } }": types.MutationsCreateMeetingDocument,
    "mutation MutationsAttendMeeting($input: UpdateTeamMeetingAttendanceInput!) { updateTeamMeetingAttendance(input: $input) {\n    teamMeeting { attendees(first: 20) { totalCount edges { node { id } } } } } }": types.MutationsAttendMeetingDocument,
    "query PaginationFirstZero { users(first: 0) { edges { cursor } pageInfo { hasNextPage } } }": types.PaginationFirstZeroDocument,
    "query PaginationDefaultSize { users { edges { cursor } pageInfo { hasNextPage } } }": types.PaginationDefaultSizeDocument,
    "query PaginationUserPages($id: ID!, $after: String) { node(id: $id) { ... on User {\n      reports(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id week } } }\n      workSchedules(first: 5) { totalCount edges { node { date startsAt endsAt remote } } }\n      directReports(first: 100) { totalCount edges { node { id } } }\n    } } }": types.PaginationUserPagesDocument,
    "query PaginationMeetingAttendees { teamMeetings(first: 1) { edges { node { organizer { id } attendees(first: 4) { totalCount edges { node { id } } } } } } }": types.PaginationMeetingAttendeesDocument,
    "query PaginationApproximateCounts {\n      all: users(first: 1) { approx: totalCount(approximate: true) exact: totalCount }\n      paris: users(first: 1, filter: { city: \"Paris\" }) { approx: totalCount(approximate: true) exact: totalCount } }": types.PaginationApproximateCountsDocument,
    "query PaginationOwnApproximateCount { weeklyReports(first: 1) { approx: totalCount(approximate: true) exact: totalCount } }": types.PaginationOwnApproximateCountDocument,
    "query ProjectionNestedReports($n: Int!) { users(first: $n) { edges { node { name\n    reports(first: 4) { edges { node { week hrMetrics { hires } } } } } } } }": types.ProjectionNestedReportsDocument,
    "query ProjectionLatestReports($n: Int!) { users(first: $n) { edges { node { latestReport { week stressLevel } } } } }": types.ProjectionLatestReportsDocument,
    "query ProjectionPreviousReports($n: Int!) { weeklyReports(first: $n) { edges { node { week user { id } previous { week stressLevel } } } } }": types.ProjectionPreviousReportsDocument,
    "query ProjectionFirstPage { users(first: 10) { pageInfo { endCursor } } }": types.ProjectionFirstPageDocument,
    "query IdorUsersPrivate { users(first: 100) { totalCount edges { node { id email latestReport { id }\n        reports(first: 100) { totalCount edges { node { id } } }\n        workSchedules(first: 100) { totalCount edges { node { id } } }\n        directReports(first: 100) { totalCount edges { node { id } } } } } } }": types.IdorUsersPrivateDocument,
    "query IdorReportsOfUser($u: ID!) { weeklyReports(first: 10, filter: { userId: $u }) {\n      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id } } } }": types.IdorReportsOfUserDocument,
    "query IdorOwnReports { weeklyReports(first: 100) { totalCount edges { node { user { id } } } } }": types.IdorOwnReportsDocument,
    "query IdorDirectReports($id: ID!) { node(id: $id) { ... on User {\n      directReports(first: 100) { totalCount edges { node { email reports { totalCount } workSchedules { totalCount } } } } } } }": types.IdorDirectReportsDocument,
    "query IdorPreviousReports { weeklyReports(first: 100) { edges { node { user { id } previous { user { id } } } } } }": types.IdorPreviousReportsDocument,
    "query IdorCreatedAtOrder { users(first: 100, orderBy: { field: CREATED_AT }) { edges { cursor node { id } } } }": types.IdorCreatedAtOrderDocument,
    "query IdorDemoted($me: ID!, $u: ID!, $r: ID!, $s: ID!) {\n      weeklyReports(filter: { userId: $u }) { totalCount }\n      user: node(id: $u) { ... on User { email manager { id } latestReport { id } reports { totalCount } workSchedules { totalCount } } }\n      report: node(id: $r) { id }\n      schedule: node(id: $s) { id }\n      me: node(id: $me) { ... on User { reports { totalCount } directReports(first: 100) { edges { node { email reports { totalCount } } } } } } }": types.IdorDemotedDocument,
    "query IdorReportCount { weeklyReports { totalCount } }": types.IdorReportCountDocument,
    "query TokenKindsExportUrl { exportUrl }": types.TokenKindsExportUrlDocument,
    "query ResponseCacheMe { me { id email reports(first: 10) { totalCount } } }": types.ResponseCacheMeDocument,
    "mutation GenerateWeeklyReportRun($week: IsoWeek, $force: Boolean) { generateWeeklyReport(week: $week, force: $force) {\n  summary { id week status version attempts lastError summary summarySource model delivery { status telegramMessageIds } } } }": types.GenerateWeeklyReportRunDocument,
    "query GenerateWeeklyReportSummary($week: IsoWeek!) { weeklySummary(week: $week) {\n  id status version attempts lastError summary summarySource model delivery { status telegramMessageIds }\n  stats { week reportsSubmitted activeUsers averageStress hr { hires } ops { incidents } } } }": types.GenerateWeeklyReportSummaryDocument,
    "mutation ProcessesGenerate($week: IsoWeek) { generateWeeklyReport(week: $week) { summary { id week status } } }": types.ProcessesGenerateDocument,
    "query StartUserCount { users(first: 1) { totalCount } }": types.StartUserCountDocument,
    "query StartUserNames { users(first: 1) { totalCount edges { node { name } } } }": types.StartUserNamesDocument,
    "query StartReportCount { weeklyReports(first: 1) { totalCount } }": types.StartReportCountDocument,
    "query StartUserCountries { users { edges { node { name country } } } }": types.StartUserCountriesDocument,
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
export function graphql(source: "mutation BadInputSubmitReport($input: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $input) { report { highlights } } }"): (typeof documents)["mutation BadInputSubmitReport($input: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $input) { report { highlights } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query BatchingMe { me { name } }"): (typeof documents)["query BatchingMe { me { name } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query BatchingUserCount { users(first: 1) { totalCount } }"): (typeof documents)["query BatchingUserCount { users(first: 1) { totalCount } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query BatchingTypename { __typename }"): (typeof documents)["query BatchingTypename { __typename }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query BatchingMeBesideTooMuch { me { name } }"): (typeof documents)["query BatchingMeBesideTooMuch { me { name } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query QueryCostNodes($ids: [ID!]!) { nodes(ids: $ids) { id } }"): (typeof documents)["query QueryCostNodes($ids: [ID!]!) { nodes(ids: $ids) { id } }"];
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
export function graphql(source: "query ExportLink($f: ExportFilter) { exportUrl(filter: $f) }"): (typeof documents)["query ExportLink($f: ExportFilter) { exportUrl(filter: $f) }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PrivacyCityOfOne($week: IsoWeek!, $filter: DashboardFilter) { dashboardStats(week: $week, filter: $filter) {\n      current { reportsSubmitted averageStress }\n      previous { reportsSubmitted averageStress averageWorkdays stressDistribution hr { hires } ops { incidents } }\n      change { averageStress averageWorkdays hires }\n      byRole { key figures { reportsSubmitted averageStress averageWorkdays stressDistribution hr { hires } ops { incidents } } } } }"): (typeof documents)["query PrivacyCityOfOne($week: IsoWeek!, $filter: DashboardFilter) { dashboardStats(week: $week, filter: $filter) {\n      current { reportsSubmitted averageStress }\n      previous { reportsSubmitted averageStress averageWorkdays stressDistribution hr { hires } ops { incidents } }\n      change { averageStress averageWorkdays hires }\n      byRole { key figures { reportsSubmitted averageStress averageWorkdays stressDistribution hr { hires } ops { incidents } } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PrivacyCountrySeries($from: IsoWeek!, $to: IsoWeek!) { countryAnalytics(from: $from, to: $to) { country weeks {\n      week reportsSubmitted suppressed averageStress averageWorkdays highStressReports hires attritions incidents slaBreaches } } }"): (typeof documents)["query PrivacyCountrySeries($from: IsoWeek!, $to: IsoWeek!) { countryAnalytics(from: $from, to: $to) { country weeks {\n      week reportsSubmitted suppressed averageStress averageWorkdays highStressReports hires attritions incidents slaBreaches } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AuthenticationUserCount { users(first: 1) { totalCount } }"): (typeof documents)["query AuthenticationUserCount { users(first: 1) { totalCount } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AuthenticationReportCount { weeklyReports(first: 1) { totalCount } }"): (typeof documents)["query AuthenticationReportCount { weeklyReports(first: 1) { totalCount } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ErrorsWeek53 { weeklyReports(filter: { weekFrom: \"2026-W53\" }) { totalCount } }"): (typeof documents)["query ErrorsWeek53 { weeklyReports(filter: { weekFrom: \"2026-W53\" }) { totalCount } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ErrorsMissingNode($id: ID!) { node(id: $id) { id } }"): (typeof documents)["query ErrorsMissingNode($id: ID!) { node(id: $id) { id } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ErrorsMixedNodes($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on User { email } ... on TeamMeeting { title } } }"): (typeof documents)["query ErrorsMixedNodes($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on User { email } ... on TeamMeeting { title } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation IdempotencyFailuresCreateMeeting($input: CreateTeamMeetingInput!) { createTeamMeeting(input: $input) { teamMeeting { id title } } }"): (typeof documents)["mutation IdempotencyFailuresCreateMeeting($input: CreateTeamMeetingInput!) { createTeamMeeting(input: $input) { teamMeeting { id title } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation IdempotencyCreateMeeting($input: CreateTeamMeetingInput!) { createTeamMeeting(input: $input) { teamMeeting { id title } } }"): (typeof documents)["mutation IdempotencyCreateMeeting($input: CreateTeamMeetingInput!) { createTeamMeeting(input: $input) { teamMeeting { id title } } }"];
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
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PaginationFirstZero { users(first: 0) { edges { cursor } pageInfo { hasNextPage } } }"): (typeof documents)["query PaginationFirstZero { users(first: 0) { edges { cursor } pageInfo { hasNextPage } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PaginationDefaultSize { users { edges { cursor } pageInfo { hasNextPage } } }"): (typeof documents)["query PaginationDefaultSize { users { edges { cursor } pageInfo { hasNextPage } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PaginationUserPages($id: ID!, $after: String) { node(id: $id) { ... on User {\n      reports(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id week } } }\n      workSchedules(first: 5) { totalCount edges { node { date startsAt endsAt remote } } }\n      directReports(first: 100) { totalCount edges { node { id } } }\n    } } }"): (typeof documents)["query PaginationUserPages($id: ID!, $after: String) { node(id: $id) { ... on User {\n      reports(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id week } } }\n      workSchedules(first: 5) { totalCount edges { node { date startsAt endsAt remote } } }\n      directReports(first: 100) { totalCount edges { node { id } } }\n    } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PaginationMeetingAttendees { teamMeetings(first: 1) { edges { node { organizer { id } attendees(first: 4) { totalCount edges { node { id } } } } } } }"): (typeof documents)["query PaginationMeetingAttendees { teamMeetings(first: 1) { edges { node { organizer { id } attendees(first: 4) { totalCount edges { node { id } } } } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PaginationApproximateCounts {\n      all: users(first: 1) { approx: totalCount(approximate: true) exact: totalCount }\n      paris: users(first: 1, filter: { city: \"Paris\" }) { approx: totalCount(approximate: true) exact: totalCount } }"): (typeof documents)["query PaginationApproximateCounts {\n      all: users(first: 1) { approx: totalCount(approximate: true) exact: totalCount }\n      paris: users(first: 1, filter: { city: \"Paris\" }) { approx: totalCount(approximate: true) exact: totalCount } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PaginationOwnApproximateCount { weeklyReports(first: 1) { approx: totalCount(approximate: true) exact: totalCount } }"): (typeof documents)["query PaginationOwnApproximateCount { weeklyReports(first: 1) { approx: totalCount(approximate: true) exact: totalCount } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ProjectionNestedReports($n: Int!) { users(first: $n) { edges { node { name\n    reports(first: 4) { edges { node { week hrMetrics { hires } } } } } } } }"): (typeof documents)["query ProjectionNestedReports($n: Int!) { users(first: $n) { edges { node { name\n    reports(first: 4) { edges { node { week hrMetrics { hires } } } } } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ProjectionLatestReports($n: Int!) { users(first: $n) { edges { node { latestReport { week stressLevel } } } } }"): (typeof documents)["query ProjectionLatestReports($n: Int!) { users(first: $n) { edges { node { latestReport { week stressLevel } } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ProjectionPreviousReports($n: Int!) { weeklyReports(first: $n) { edges { node { week user { id } previous { week stressLevel } } } } }"): (typeof documents)["query ProjectionPreviousReports($n: Int!) { weeklyReports(first: $n) { edges { node { week user { id } previous { week stressLevel } } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ProjectionFirstPage { users(first: 10) { pageInfo { endCursor } } }"): (typeof documents)["query ProjectionFirstPage { users(first: 10) { pageInfo { endCursor } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query IdorUsersPrivate { users(first: 100) { totalCount edges { node { id email latestReport { id }\n        reports(first: 100) { totalCount edges { node { id } } }\n        workSchedules(first: 100) { totalCount edges { node { id } } }\n        directReports(first: 100) { totalCount edges { node { id } } } } } } }"): (typeof documents)["query IdorUsersPrivate { users(first: 100) { totalCount edges { node { id email latestReport { id }\n        reports(first: 100) { totalCount edges { node { id } } }\n        workSchedules(first: 100) { totalCount edges { node { id } } }\n        directReports(first: 100) { totalCount edges { node { id } } } } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query IdorReportsOfUser($u: ID!) { weeklyReports(first: 10, filter: { userId: $u }) {\n      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id } } } }"): (typeof documents)["query IdorReportsOfUser($u: ID!) { weeklyReports(first: 10, filter: { userId: $u }) {\n      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query IdorOwnReports { weeklyReports(first: 100) { totalCount edges { node { user { id } } } } }"): (typeof documents)["query IdorOwnReports { weeklyReports(first: 100) { totalCount edges { node { user { id } } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query IdorDirectReports($id: ID!) { node(id: $id) { ... on User {\n      directReports(first: 100) { totalCount edges { node { email reports { totalCount } workSchedules { totalCount } } } } } } }"): (typeof documents)["query IdorDirectReports($id: ID!) { node(id: $id) { ... on User {\n      directReports(first: 100) { totalCount edges { node { email reports { totalCount } workSchedules { totalCount } } } } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query IdorPreviousReports { weeklyReports(first: 100) { edges { node { user { id } previous { user { id } } } } } }"): (typeof documents)["query IdorPreviousReports { weeklyReports(first: 100) { edges { node { user { id } previous { user { id } } } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query IdorCreatedAtOrder { users(first: 100, orderBy: { field: CREATED_AT }) { edges { cursor node { id } } } }"): (typeof documents)["query IdorCreatedAtOrder { users(first: 100, orderBy: { field: CREATED_AT }) { edges { cursor node { id } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query IdorDemoted($me: ID!, $u: ID!, $r: ID!, $s: ID!) {\n      weeklyReports(filter: { userId: $u }) { totalCount }\n      user: node(id: $u) { ... on User { email manager { id } latestReport { id } reports { totalCount } workSchedules { totalCount } } }\n      report: node(id: $r) { id }\n      schedule: node(id: $s) { id }\n      me: node(id: $me) { ... on User { reports { totalCount } directReports(first: 100) { edges { node { email reports { totalCount } } } } } } }"): (typeof documents)["query IdorDemoted($me: ID!, $u: ID!, $r: ID!, $s: ID!) {\n      weeklyReports(filter: { userId: $u }) { totalCount }\n      user: node(id: $u) { ... on User { email manager { id } latestReport { id } reports { totalCount } workSchedules { totalCount } } }\n      report: node(id: $r) { id }\n      schedule: node(id: $s) { id }\n      me: node(id: $me) { ... on User { reports { totalCount } directReports(first: 100) { edges { node { email reports { totalCount } } } } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query IdorReportCount { weeklyReports { totalCount } }"): (typeof documents)["query IdorReportCount { weeklyReports { totalCount } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query TokenKindsExportUrl { exportUrl }"): (typeof documents)["query TokenKindsExportUrl { exportUrl }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ResponseCacheMe { me { id email reports(first: 10) { totalCount } } }"): (typeof documents)["query ResponseCacheMe { me { id email reports(first: 10) { totalCount } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation GenerateWeeklyReportRun($week: IsoWeek, $force: Boolean) { generateWeeklyReport(week: $week, force: $force) {\n  summary { id week status version attempts lastError summary summarySource model delivery { status telegramMessageIds } } } }"): (typeof documents)["mutation GenerateWeeklyReportRun($week: IsoWeek, $force: Boolean) { generateWeeklyReport(week: $week, force: $force) {\n  summary { id week status version attempts lastError summary summarySource model delivery { status telegramMessageIds } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GenerateWeeklyReportSummary($week: IsoWeek!) { weeklySummary(week: $week) {\n  id status version attempts lastError summary summarySource model delivery { status telegramMessageIds }\n  stats { week reportsSubmitted activeUsers averageStress hr { hires } ops { incidents } } } }"): (typeof documents)["query GenerateWeeklyReportSummary($week: IsoWeek!) { weeklySummary(week: $week) {\n  id status version attempts lastError summary summarySource model delivery { status telegramMessageIds }\n  stats { week reportsSubmitted activeUsers averageStress hr { hires } ops { incidents } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ProcessesGenerate($week: IsoWeek) { generateWeeklyReport(week: $week) { summary { id week status } } }"): (typeof documents)["mutation ProcessesGenerate($week: IsoWeek) { generateWeeklyReport(week: $week) { summary { id week status } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query StartUserCount { users(first: 1) { totalCount } }"): (typeof documents)["query StartUserCount { users(first: 1) { totalCount } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query StartUserNames { users(first: 1) { totalCount edges { node { name } } } }"): (typeof documents)["query StartUserNames { users(first: 1) { totalCount edges { node { name } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query StartReportCount { weeklyReports(first: 1) { totalCount } }"): (typeof documents)["query StartReportCount { weeklyReports(first: 1) { totalCount } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query StartUserCountries { users { edges { node { name country } } } }"): (typeof documents)["query StartUserCountries { users { edges { node { name country } } } }"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;