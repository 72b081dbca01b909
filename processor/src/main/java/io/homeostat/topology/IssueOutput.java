package io.homeostat.topology;

import io.homeostat.model.FeedbackIntent;
import io.homeostat.model.ProductionIssue;

/** What the issue task publishes: issue records (to the issues topic) and intents (to the intents topic). */
sealed interface IssueOutput {
    record Issue(ProductionIssue issue) implements IssueOutput {}

    record Intent(FeedbackIntent intent) implements IssueOutput {}
}
