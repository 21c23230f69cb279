/** Included by Services.thrift. */
struct SharedStruct {
  1: i32 key,
  2: string value,
}

exception SharedError {
  1: string message,
}

service SharedService {
  SharedStruct getStruct(1: i32 key) throws (1: SharedError notFound),
}
