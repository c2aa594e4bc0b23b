"""Vietnamese words the synthetic products are made of, so search and benchmarks see realistic variety."""

# Weights follow the article's producers: 72 household businesses, 20 companies, 5 enterprises,
# 19 cooperatives, 2 cooperative groups (in the order of ENTITY_TYPES).
ENTITY_WEIGHTS = (72, 20, 5, 19, 2)
ENTITY_NAMES = {
    "ho_kinh_doanh": "Hộ kinh doanh",
    "cong_ty": "Công ty TNHH",
    "doanh_nghiep": "Doanh nghiệp tư nhân",
    "hop_tac_xa": "Hợp tác xã",
    "to_hop_tac": "Tổ hợp tác",
}
TRADES = ("Nông sản", "Đặc sản", "Thực phẩm", "Dừa", "Thủy sản", "Mỹ nghệ", "Trà", "Gạo", "Mật ong",
          "Dược liệu", "Bánh kẹo", "Trái cây", "Rượu", "Cây kiểng", "Du lịch sinh thái", "Chế biến")
PLACES = ("Phú An", "Tân Hòa", "Long Hữu", "Hòa Minh", "Bình Phú", "An Trường", "Mỹ Long", "Tập Sơn",
          "Đại Phước", "Cầu Kè", "Trà Cú", "Tiểu Cần", "Càng Long", "Ba Động", "Mỏ Cày", "Chợ Lách",
          "Cái Bè", "Hòa Lộc", "Phong Điền", "Tri Tôn", "Bảo Lộc", "Buôn Hồ", "Mộc Châu", "Tân Cương",
          "Bát Tràng", "Vạn Phúc", "Hội An", "Phú Quốc", "Đồng Tháp Mười", "Năm Căn", "Sa Pa", "Đắk Mil")

GROUP_CODES = ("thuc_pham", "do_uong", "duoc_lieu", "thu_cong_my_nghe", "sinh_vat_canh", "du_lich")
GROUP_WEIGHTS = (50, 15, 12, 15, 4, 4)
PRODUCT_WORDS = {
    "thuc_pham": ("Kẹo dừa", "Bánh tét", "Chuối sấy", "Mắm cá lóc", "Tôm khô", "Cốm dẹp", "Bánh ống",
                  "Mật hoa dừa", "Gạo thơm", "Khô cá lóc", "Bánh pía", "Nem chua", "Lạp xưởng", "Bánh phồng tôm",
                  "Hạt điều rang muối", "Cà phê rang xay", "Bưởi da xanh", "Xoài cát", "Nước mắm", "Đường thốt nốt",
                  "Bánh tráng", "Hủ tiếu", "Chà bông cá", "Mứt gừng", "Hạt sen sấy", "Chả lụa", "Tiêu đen",
                  "Mật ong rừng", "Dừa sáp", "Khô mực"),
    "do_uong": ("Rượu nếp", "Rượu cần", "Nước dừa", "Trà atiso", "Trà sen", "Nước ép thanh long", "Rượu ngô",
                "Sữa bắp", "Trà mãng cầu", "Rượu sim", "Nước cốt chanh dây", "Trà shan tuyết"),
    "duoc_lieu": ("Tinh dầu sả", "Cao atiso", "Trà gừng", "Tinh bột nghệ", "Sâm dây", "Trà đinh lăng",
                  "Dầu dừa ép lạnh", "Xà bông thảo mộc", "Cao dược liệu", "Tinh dầu tràm", "Trà rau má"),
    "thu_cong_my_nghe": ("Giỏ tre", "Thảm lục bình", "Nón lá", "Khăn thổ cẩm", "Bình gốm", "Tranh thêu",
                         "Chiếu cói", "Đèn gáo dừa", "Hộp mây", "Ghế tre", "Túi cói", "Lụa tơ tằm"),
    "sinh_vat_canh": ("Bonsai mai vàng", "Lan hồ điệp", "Cây kiểng lá", "Sen đá", "Cá koi", "Tiểu cảnh"),
    "du_lich": ("Tour sinh thái", "Homestay", "Trải nghiệm làm bánh", "Tour miệt vườn", "Chèo xuồng",
                "Tour làng nghề"),
}
MODIFIERS = {
    "thuc_pham": ("đặc biệt", "truyền thống", "hữu cơ", "loại 1", "vị lá dứa", "vị sầu riêng", "ít đường",
                  "cao cấp", "gia truyền", "sấy lạnh", ""),
    "do_uong": ("thượng hạng", "nguyên chất", "ít đường", "truyền thống", "hữu cơ", ""),
    "duoc_lieu": ("nguyên chất", "hữu cơ", "thảo mộc", "cao cấp", ""),
    "thu_cong_my_nghe": ("đan tay", "thủ công", "trang trí", "cỡ lớn", "cỡ nhỏ", ""),
    "sinh_vat_canh": ("dáng trực", "mini", "cao cấp", ""),
    "du_lich": ("một ngày", "hai ngày một đêm", "nửa ngày", "cuối tuần"),
}
SIZES = {
    "thuc_pham": (("hộp", "hộp 200 g"), ("gói", "gói 500 g"), ("túi", "túi 1 kg"), ("hũ", "hũ 300 g"),
                  ("kg", ""), ("hộp", "hộp quà")),
    "do_uong": (("chai", "chai 500 ml"), ("chai", "chai 750 ml"), ("hộp", "hộp 20 túi"), ("thùng", "thùng 24 lon")),
    "duoc_lieu": (("chai", "chai 100 ml"), ("hũ", "hũ 200 g"), ("hộp", "hộp 30 gói"), ("bánh", "")),
    "thu_cong_my_nghe": (("cái", ""), ("bộ", "bộ 3 món"), ("chiếc", "")),
    "sinh_vat_canh": (("chậu", ""), ("cây", ""), ("con", "")),
    "du_lich": (("người", ""), ("nhóm", "nhóm 4 người")),
}
# Liquids come in bottles whatever their group.
LIQUIDS = ("Nước", "Mật", "Rượu", "Sữa", "Tinh dầu", "Giấm", "Dầu")
LIQUID_SIZES = (("chai", "chai 250 ml"), ("chai", "chai 500 ml"), ("can", "can 2 lít"))
PRICES = {  # (low, high) in đồng
    "thuc_pham": (20_000, 600_000),
    "do_uong": (20_000, 900_000),
    "duoc_lieu": (40_000, 800_000),
    "thu_cong_my_nghe": (50_000, 5_000_000),
    "sinh_vat_canh": (80_000, 3_000_000),
    "du_lich": (150_000, 2_500_000),
}
BLURBS = (
    "Nguyên liệu chọn lọc từ vùng trồng của địa phương, sản xuất theo quy trình an toàn thực phẩm.",
    "Sản phẩm được đánh giá, phân hạng theo Chương trình Mỗi xã một sản phẩm.",
    "Đóng gói tiện lợi, thích hợp làm quà biếu.",
    "Làm thủ công theo cách truyền thống của làng nghề.",
    "Có tem truy xuất nguồn gốc trên bao bì.",
    "Bảo quản nơi khô ráo, thoáng mát, tránh ánh nắng trực tiếp.",
)
