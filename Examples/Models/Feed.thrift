/**
 * The demo system's contract: a feed service that shows posts by users.
 * `weaver demo` generates Swift from this file and calls the service.
 */
namespace py cloudweaver.demo

typedef i64 UserId

enum Visibility {
  PUBLIC = 0,
  FOLLOWERS = 1,
  PRIVATE = 2,
}

struct User {
  1: required UserId id,
  2: string name,
  3: optional string avatar_url,
}

struct Post {
  1: required i64 id,
  2: User author,
  3: string text,
  4: list<string> tags,
  5: map<string, i32> reactions,
  6: Visibility visibility = Visibility.PUBLIC,
  7: optional binary thumbnail,
  8: i64 created_at_ms,
}

struct FeedPage {
  1: list<Post> posts,
  2: optional string next_cursor,
}

exception NotFound {
  1: string what,
}

/** How many posts a page holds at most. */
const i32 MAX_PAGE_SIZE = 50

service FeedService {
  /** The newest posts visible to `viewer`. */
  FeedPage getFeed(1: UserId viewer, 2: i32 limit, 3: optional string cursor) throws (1: NotFound notFound),
  /** Adds a reaction; returns the new count. */
  i32 react(1: i64 postId, 2: string reaction) throws (1: NotFound notFound),
  oneway void markSeen(1: UserId viewer, 2: list<i64> postIds),
}
