/** Structs, unions, defaults, recursion and constants. */
struct Point {
  1: required double x,
  2: required double y,
}

struct Circle {
  1: Point center,
  2: double radius = 1.0,
}

union Shape {
  1: Circle circle,
  2: list<Point> polygon,
  3: Group group,
}

/** Shapes that contain shapes. */
struct Group {
  1: string name = "group",
  2: list<Shape> members,
  3: optional Shape primary,
}

const Point ORIGIN = {"x": 0, "y": 0}
const list<string> KINDS = ["circle", "polygon", "group"]
