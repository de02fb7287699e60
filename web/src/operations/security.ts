/** The security log's operations: the caller's own events (Account → Security) and the staff's search. */
import { graphql } from '../gql';

export const MySecurityEventsDocument = graphql(`
  query MySecurityEvents($first: Int, $after: String) {
    mySecurityEvents(first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          at
          type
          userId
          actorId
          tokenKind
          tokenKey
          ip
          userAgent
          operation
          detail
          count
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const SecurityEventsDocument = graphql(`
  query SecurityEvents($filter: SecurityEventFilter, $first: Int, $after: String) {
    securityEvents(filter: $filter, first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          at
          type
          auth0Code
          userId
          actorId
          username
          tokenKind
          tokenKey
          ip
          userAgent
          requestId
          operation
          detail
          count
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);
